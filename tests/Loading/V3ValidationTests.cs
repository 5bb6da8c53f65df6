using BaiQianWan.Assess.Rules.Loading;

namespace BaiQianWan.Assess.Tests.Loading;

/// <summary>(v3) Each new validation error: its stable code at the line and column the spec names (never the wording).</summary>
public class V3ValidationTests
{
    // Line numbers (RulesetYaml's layout): 1 id, 2 name, 3 level, 4 classes, 5 dimensions, 6 - id, 7 name, then the
    // dimension's keys (cap, factor) from line 8, indicators, - id, name, weight, method and its keys; then the top-level
    // blocks (totalCap, adjustments, grades, lists), with no grades unless a test adds them. With no dimension keys:
    // 8 indicators, 9 - id, 10 name, 11 weight, 12 method, the method's keys from 13, the blocks after them.
    private static string Ruleset(string method, string dimension = "", string top = "", string tail = "")
    {
        var yaml = RulesetYaml.County().Class("创先").NoGrades().Dimension(keys: dimension).Indicator("x", "指标", "weight: 10\n" + method);
        if (top.Length > 0) yaml.Then(top);
        if (tail.Length > 0) yaml.Then(tail);
        return yaml.Build();
    }

    private static void Has(string yaml, params (string Code, int Line, int Column)[] expected)
    {
        var diagnostics = RulesetLoader.Load(yaml).Diagnostics;
        Assert.Equal(expected.Order(), diagnostics.Where(d => d.Code is not null).Select(d => (d.Code!, d.Position.Line, d.Position.Column)).Order());
        Assert.Null(RulesetLoader.Load(yaml).Ruleset);
    }

    private static void Valid(string yaml)
    {
        var result = RulesetLoader.Load(yaml);
        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void The_spec_s_steps_example_is_valid() =>
        Valid(Ruleset("method: steps\nup:   { every: 0.3, points: 1, max: 3 }\ndown: { every: 0.3, points: 1 }\nzeroBelow: 0.3"));

    [Fact]
    public void Steps_without_up_or_down_is_an_error_at_method() =>
        Has(Ruleset("method: steps\nzeroBelow: 0.3"), (RulesetCodes.StepsWithoutSide, 12, 17));

    [Fact]
    public void Out_of_range_step_values_are_errors_at_each_value() =>
        Has(Ruleset("method: steps\nbase: -1\nup: { every: 0, points: -1, max: -2 }"),
            (RulesetCodes.StepsOutOfRange, 13, 15), (RulesetCodes.StepsOutOfRange, 14, 22),
            (RulesetCodes.StepsOutOfRange, 14, 33), (RulesetCodes.StepsOutOfRange, 14, 42));

    [Fact]
    public void An_unknown_key_inside_up_is_an_error_at_the_key() =>
        Has(Ruleset("method: steps\nup: { every: 1, points: 1, cap: 3 }"), (RulesetCodes.StepsUnknownKey, 13, 36));

    [Fact]
    public void Thresholds_against_the_direction_or_both_are_errors_at_the_key()
    {
        Has(Ruleset("method: steps\nup: { every: 1, points: 1 }\nzeroAbove: 0.5"), (RulesetCodes.StepsThreshold, 14, 9));
        Has(Ruleset("better: lower\nmethod: steps\nmetric: value\nup: { every: 1, points: 1 }\nzeroBelow: 0.5"),
            (RulesetCodes.StepsThreshold, 16, 9));
        // Both (direction higher): zeroAbove breaks two rules and gets both errors.
        Has(Ruleset("method: steps\nup: { every: 1, points: 1 }\nzeroBelow: 0.3\nzeroAbove: 2"),
            (RulesetCodes.StepsThreshold, 15, 9), (RulesetCodes.StepsThreshold, 15, 9));
    }

    [Fact]
    public void From_must_be_a_number_and_a_null_max_must_be_left_out()
    {
        Has(Ruleset("method: steps\nfrom: target\nup: { every: 1, points: 1 }"), (RulesetCodes.StepsFrom, 13, 15));
        Has(Ruleset("method: steps\nup: { every: 1, points: 1, max: ~ }"), (RulesetCodes.NullMax, 13, 41));
    }

    [Fact]
    public void Cap_none_is_for_completion_only()
    {
        Valid(Ruleset("method: completion\ncap: none"));
        Has(Ruleset("method: increment\ncap: none"), (RulesetCodes.CapNone, 13, 14));
        Has(Ruleset("method: completion\ncap: unlimited"), (RulesetCodes.CapNone, 13, 14));
        Has(Ruleset("method: completion\ncap: ~"), (RulesetCodes.CapNone, 13, 14));
    }

    [Fact]
    public void Dimension_cap_factor_and_total_cap_must_be_positive_numbers()
    {
        Valid(Ruleset("method: completion", "cap: 100\nfactor: 0.6", "totalCap: 100"));
        Has(Ruleset("method: completion", "cap: 0\nfactor: x", "totalCap: -1"),
            (RulesetCodes.DimensionCap, 8, 10), (RulesetCodes.DimensionFactor, 9, 13), (RulesetCodes.TotalCap, 15, 11));
    }

    private const string Grades = """
        grades:
          by: rankShare
          levels:
            - { name: 好, share: 0.3 }
            - { name: 一般 }
        """;

    [Fact]
    public void Exclude_is_a_boolean_without_grade()
    {
        Valid(Ruleset("method: completion", tail: "adjustments:\n  - { id: v, name: 否决, kind: veto, exclude: true }\n" + Grades));
        Has(Ruleset("method: completion", tail: "adjustments:\n  - { id: v, name: 否决, kind: veto, exclude: yes }\n" + Grades),
            (RulesetCodes.ExcludeNotBoolean, 14, 45));
        Has(Ruleset("method: completion", tail: "adjustments:\n  - { id: v, name: 否决, kind: veto, exclude: true, grade: 一般 }\n" + Grades),
            (RulesetCodes.ExcludeWithGrade, 14, 58));
    }

    [Fact]
    public void Without_grades_a_veto_grade_is_not_a_level()
    {
        Valid(Ruleset("method: completion", tail: "adjustments:\n  - { id: v, name: 否决, kind: veto }"));
        Has(Ruleset("method: completion", tail: "adjustments:\n  - { id: v, name: 否决, kind: veto, grade: 一般 }"),
            (RulesetCodes.VetoGradeWithoutGrades, 14, 43));
    }

    [Fact]
    public void Grade_scope_is_class_or_level_and_only_for_rank_share()
    {
        Valid(Ruleset("method: completion", tail: Grades + "\n  scope: level"));
        Has(Ruleset("method: completion", tail: Grades + "\n  scope: province"), (RulesetCodes.GradeScope, 18, 10));
        Has(Ruleset("method: completion", tail: "grades:\n  by: score\n  scope: level\n  levels:\n    - { name: 好, min: 90 }\n    - { name: 一般 }"),
            (RulesetCodes.GradeScope, 15, 10));
    }

    [Theory]
    [InlineData("20%")]
    [InlineData("'12.5%'")]
    [InlineData("100%")]
    [InlineData("3")]
    [InlineData("0")]
    public void List_counts_and_percentages_that_are_valid(string top) =>
        Valid(Ruleset("method: completion", tail: $"lists:\n  red: {{ top: {top}, scope: level }}"));

    [Theory]
    [InlineData("'20 %'")]
    [InlineData("20%%")]
    [InlineData("-5%")]
    [InlineData("0%")]
    [InlineData("101%")]
    [InlineData("1e1%")]
    [InlineData("-1")]
    [InlineData("1.5")]
    public void List_counts_that_are_errors_at_the_value(string top) =>
        Has(Ruleset("method: completion", tail: $"lists:\n  red: {{ top: {top} }}"), (RulesetCodes.ListCount, 14, 15));

    [Fact]
    public void List_scope_is_class_or_level() =>
        Has(Ruleset("method: completion", tail: "lists:\n  black: { bottom: 1, scope: city }"), (RulesetCodes.ListScope, 14, 30));

    [Fact]
    public void Level_city_is_valid_and_an_unknown_level_lists_the_four()
    {
        Valid(Ruleset("method: completion").Replace("level: county", "level: city"));
        var d = Assert.Single(RulesetLoader.Load(Ruleset("method: completion").Replace("level: county", "level: province")).Diagnostics);
        Assert.Equal((RulesetCodes.Level, 3, 8), (d.Code, d.Position.Line, d.Position.Column));
        Assert.All(new[] { "city", "county", "town", "village" }, level => Assert.Contains(level, d.Message));
    }

    [Fact]
    public void Change_is_a_metric_of_every_method_that_takes_one()
    {
        Valid(Ruleset("method: increment\nmetric: change"));
        Valid(Ruleset("method: bands\nmetric: change\nbands: [{ min: 0, score: 1 }]"));
        Has(Ruleset("method: rank\nmetric: share"), (RulesetCodes.Metric, 13, 17));
    }
}
