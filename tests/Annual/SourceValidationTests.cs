using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Tests.Annual;

/// <summary>
/// Annual contract §1–2: <c>cadence</c> and <c>sources</c> in the ruleset reader. Every validation error of §2 with its stable
/// code (RS5xxx) at the line and column of its node (never the wording), and the valid forms.
/// </summary>
public class SourceValidationTests
{
    // Lines: 1 id, 2 name, 3 level, 4 cadence, 5 classes, 6 inputs/blank, 7 sources:, 8 - id (col 5, value col 9),
    // 9 from (value col 11), 10 figure (value col 13), 11.. more source lines; then dimensions.
    private static string Yaml(string source, string cadence = "cadence: year", string more = "", string indicatorId = "quarterly",
        string formula = "actual", string inputs = "") => $"""
        id: t
        name: 测试
        level: county
        {cadence}
        classes: [创先]
        {inputs}
        sources:
          {Engine.Spec.Indent(source, 2)}
          {Engine.Spec.Indent(more, 2)}
        dimensions:
          - id: d
            name: 维度
            indicators:
              - id: {indicatorId}
                name: 指标
                weight: 10
                method: formula
                formula: "{formula}"
        """;

    private const string Quarterly = "- id: quarterly\n  from: quarters\n  figure: total";

    private static void Has(string yaml, params (string Code, int Line, int Column)[] expected)
    {
        var result = RulesetLoader.Load(yaml);
        Assert.Null(result.Ruleset);
        Assert.Equal(expected.Order(), result.Diagnostics.Select(d => (d.Code!, d.Position.Line, d.Position.Column)).Order());
    }

    private static Ruleset Valid(string yaml)
    {
        var result = RulesetLoader.Load(yaml);
        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        return result.Ruleset!;
    }

    [Fact]
    public void A_year_ruleset_with_sources_declares_each_sources_inputs_after_the_declared_ones()
    {
        var r = Valid(Yaml(Quarterly, more: "- { id: red, from: months, light: red }\n- { id: econ, from: quarters, figure: dimension, dimension: economy }",
            formula: "actual + quarterly_q1 + quarterly_first + quarterly_last + quarterly_count + red_months + econ_q4 + population",
            inputs: "inputs: [{ id: population, name: 人口 }]"));
        Assert.Equal(Cadence.Year, r.Cadence);
        Assert.Equal(["quarterly", "red", "econ"], r.Sources.Select(s => s.Id));
        Assert.Equal((SourceFrom.Quarters, SourceFigure.Total, (string?)null), (r.Sources[0].From, r.Sources[0].Figure, r.Sources[0].Of));
        Assert.Equal((SourceFrom.Months, (SourceFigure?)null, "red"), (r.Sources[1].From, r.Sources[1].Figure, r.Sources[1].Light));
        Assert.Equal((SourceFigure.Dimension, "economy"), (r.Sources[2].Figure!.Value, r.Sources[2].Of!));
        Assert.Equal(["population", "quarterly_q1", "quarterly_q2", "quarterly_q3", "quarterly_q4", "quarterly_first", "quarterly_last", "quarterly_count",
            "red_months", "econ_q1", "econ_q2", "econ_q3", "econ_q4", "econ_first", "econ_last", "econ_count"], r.Inputs.Select(i => i.Id));
        Assert.Equal(8, r.Sources[0].Position.Line);
    }

    [Fact]
    public void Cadence_defaults_to_quarter_and_a_year_ruleset_may_have_no_sources()
    {
        var quarter = Valid(Yaml("", cadence: "", more: "").Replace("sources:\n", ""));
        Assert.Equal(Cadence.Quarter, quarter.Cadence);
        Assert.Empty(quarter.Sources);
        Assert.Equal(Cadence.Quarter, Valid(Yaml("", cadence: "cadence: quarter").Replace("sources:\n", "")).Cadence);
        Assert.Equal(Cadence.Year, Valid(Yaml("", formula: "actual").Replace("sources:\n", "")).Cadence);
    }

    [Fact]
    public void Every_figure_reads()
    {
        foreach (var (figure, extra, expected) in new[]
                 {
                     ("total", "", SourceFigure.Total), ("rank", "", SourceFigure.Rank), ("levelRank", "", SourceFigure.LevelRank),
                     ("bonus", "", SourceFigure.Bonus), ("penalty", "", SourceFigure.Penalty),
                     ("dimension", "\n  dimension: economy", SourceFigure.Dimension), ("indicator", "\n  indicator: gdp", SourceFigure.Indicator),
                 })
            Assert.Equal(expected, Valid(Yaml($"- id: quarterly\n  from: quarters\n  figure: {figure}{extra}")).Sources[0].Figure);
    }

    [Fact]
    public void Cadence_other_than_quarter_or_year() =>
        Has(Yaml(Quarterly, cadence: "cadence: month"), (SourceCodes.Cadence, 4, 10));

    [Fact]
    public void Sources_without_cadence_year_at_the_key()
    {
        Has(Yaml(Quarterly, cadence: "cadence: quarter"), (SourceCodes.SourcesWithoutYear, 7, 1));
        // No cadence at all: the default quarter (line 4 is blank).
        Has(Yaml(Quarterly, cadence: ""), (SourceCodes.SourcesWithoutYear, 7, 1));
    }

    [Fact]
    public void From_missing_or_unknown()
    {
        Has(Yaml("- id: quarterly\n  figure: total"), (SourceCodes.From, 8, 5));
        Has(Yaml("- id: quarterly\n  from: weeks\n  figure: total"), (SourceCodes.From, 9, 11));
    }

    [Fact]
    public void Figure_missing_or_unknown()
    {
        Has(Yaml("- id: quarterly\n  from: quarters"), (SourceCodes.Figure, 8, 5));
        Has(Yaml("- id: quarterly\n  from: quarters\n  figure: average"), (SourceCodes.Figure, 10, 13));
        Has(Yaml("- id: quarterly\n  from: quarters\n  figure: ~"), (SourceCodes.Figure, 10, 13));
    }

    [Fact]
    public void Dimension_or_indicator_missing_where_the_figure_needs_it_at_the_figure()
    {
        Has(Yaml("- id: quarterly\n  from: quarters\n  figure: dimension"), (SourceCodes.FigureTarget, 10, 13));
        Has(Yaml("- id: quarterly\n  from: quarters\n  figure: indicator"), (SourceCodes.FigureTarget, 10, 13));
        // indicator given where the figure is dimension: the missing dimension and the needless indicator.
        Has(Yaml("- id: quarterly\n  from: quarters\n  figure: dimension\n  indicator: gdp"), (SourceCodes.FigureTarget, 10, 13), (SourceCodes.FigureTarget, 11, 5));
    }

    [Fact]
    public void Dimension_or_indicator_given_where_the_figure_does_not_need_it_at_the_key()
    {
        Has(Yaml("- id: quarterly\n  from: quarters\n  figure: total\n  dimension: economy"), (SourceCodes.FigureTarget, 11, 5));
        Has(Yaml("- id: quarterly\n  from: quarters\n  figure: rank\n  indicator: gdp"), (SourceCodes.FigureTarget, 11, 5));
    }

    [Fact]
    public void Light_missing_on_a_months_source_and_keys_of_the_other_kind_are_unknown()
    {
        Has(Yaml("- id: quarterly\n  from: months"), (SourceCodes.Light, 8, 5));
        Has(Yaml("- id: quarterly\n  from: months\n  light: red\n  figure: total"), (RulesetCodes.UnknownKey, 11, 5));
        Has(Yaml(Quarterly + "\n  light: red"), (RulesetCodes.UnknownKey, 11, 5));
        Has(Yaml(Quarterly + "\n  name: 季度"), (RulesetCodes.UnknownKey, 11, 5));
    }

    [Fact]
    public void A_source_id_that_is_not_a_formula_name()
    {
        Has(Yaml("- id: 1q\n  from: quarters\n  figure: total"), (SourceCodes.SourceId, 8, 9));
        Has(Yaml("- from: quarters\n  figure: total"), (RulesetCodes.MissingKey, 8, 5));
    }

    [Fact]
    public void A_duplicate_source_id_ignoring_case_at_the_second()
    {
        Has(Yaml(Quarterly, more: "- id: Quarterly\n  from: months\n  light: red"), (SourceCodes.Clash, 11, 9));
    }

    [Fact]
    public void A_source_id_or_generated_input_clashing_with_another_sources_inputs()
    {
        // quarterly_count is an input quarterly generates; and quarterly's quarterly_q1 would be x's … clash either way.
        Has(Yaml(Quarterly, more: "- id: quarterly_count\n  from: months\n  light: red"), (SourceCodes.Clash, 11, 9));
        // a's generated a_months equals b's id (declared second).
        Has(Yaml("- { id: a, from: months, light: red }", more: "- { id: a_months, from: quarters, figure: total }", formula: "actual"),
            (SourceCodes.Clash, 9, 11));
    }

    [Fact]
    public void A_source_id_or_generated_input_clashing_with_a_declared_input()
    {
        Has(Yaml(Quarterly, inputs: "inputs: [{ id: quarterly }]", indicatorId: "x"), (SourceCodes.Clash, 8, 9));
        Has(Yaml(Quarterly, inputs: "inputs: [{ id: QUARTERLY_last }]"), (SourceCodes.Clash, 8, 9));
    }

    [Fact]
    public void A_source_id_or_generated_input_clashing_with_a_formula_variable_or_function()
    {
        Has(Yaml("- id: actual\n  from: quarters\n  figure: total", indicatorId: "x"), (SourceCodes.Clash, 8, 9));
        Has(Yaml("- id: round\n  from: months\n  light: red", indicatorId: "x"), (SourceCodes.Clash, 8, 9));
        Has(Yaml("- id: parentavg\n  from: months\n  light: red", indicatorId: "x"), (SourceCodes.Clash, 8, 9));
    }

    [Fact]
    public void A_generated_input_equal_to_an_indicator_id_at_the_source_id()
    {
        Has(Yaml(Quarterly, indicatorId: "quarterly_q4"), (SourceCodes.Clash, 8, 9));
    }

    [Fact]
    public void A_source_id_may_equal_an_indicators_or_an_adjustments_id_and_a_formula_names_only_declared_inputs()
    {
        Valid(Yaml(Quarterly, indicatorId: "quarterly"));
        Valid(Yaml(Quarterly, indicatorId: "other") + "\nadjustments:\n  - { id: quarterly, name: 扣分, kind: penalty, per: 1 }\n");
        // quarterly_q5 and the source id itself are no formula names.
        var bad = RulesetLoader.Load(Yaml(Quarterly, formula: "quarterly_q5"));
        Assert.Contains(bad.Diagnostics, d => d.Code == Rules.Formulas.FormulaCodes.UnknownName && d.Position.Line == 20);
        Assert.Contains(RulesetLoader.Load(Yaml(Quarterly, formula: "quarterly")).Diagnostics, d => d.Code == Rules.Formulas.FormulaCodes.UnknownName);
    }

    [Fact]
    public void Sources_not_a_list_and_an_entry_not_a_mapping()
    {
        Has(Yaml("").Replace("sources:\n", "sources: quarterly\n"), (RulesetCodes.NotList, 7, 10));
        Has(Yaml("- quarterly"), (RulesetCodes.NotMapping, 8, 5));
    }
}
