using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Tests.Engine;

/// <summary>Builds small evaluations from YAML and CSV text, the way the spec's examples read.</summary>
internal static class Spec
{
    public const string Grades = """
        grades:
          by: rankShare
          levels:
            - { name: 好, share: 0.3 }
            - { name: 较好, share: 0.4 }
            - { name: 一般 }
        """;

    /// <summary>A one-indicator county ruleset: <paramref name="indicator"/> is the YAML of the indicator's keys after id/name.</summary>
    public static string OneIndicator(string indicator, string classes = "[创先, 进位]", string extra = "") =>
        RulesetYaml.County().Class(classes.Trim('[', ']').Split(", ")).Decimals(2).Indicator("x", "指标", indicator.Trim()).Then(extra).Grades(Grades).Build();

    public static string Indent(string text, int spaces) =>
        string.Join("\n" + new string(' ', spaces), text.Trim().Split('\n').Select(l => l.TrimEnd()));

    public static CompiledRuleset Compile(string yaml)
    {
        var loaded = RulesetLoader.Load(yaml);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Diagnostics));
        return CompiledRuleset.Compile(loaded.Ruleset!, loaded.Sha256);
    }

    /// <summary>Units as "code class" lines (all counties), observations as CSV rows without header, period 2025Q3.</summary>
    public static EvaluationResult Evaluate(string yaml, string units, string observations, string period = "2025Q3")
    {
        var unitRows = units.Trim().Split('\n').Select(l => l.Trim().Split(' ', 2))
            .Select(p => $"{p[0]},单位{p[0]},county,,{p[1]}");
        var unitFile = DataFiles.ReadUnits("code,name,level,parent,class\n" + string.Join("\n", unitRows), "u.csv");
        Assert.True(unitFile.IsValid, string.Join("\n", unitFile.Errors));
        var codes = unitFile.Rows.Select(u => u.Code).ToHashSet();
        var obsFile = DataFiles.ReadObservations("unit,indicator,period,actual,target,baseline\n" + observations.Trim(), "o.csv", codes);
        Assert.True(obsFile.IsValid, string.Join("\n", obsFile.Errors));
        return Evaluator.Evaluate(Compile(yaml), new Dataset(unitFile.Rows, obsFile.Rows), Period.Parse(period));
    }

    /// <summary>Units as "code class parent" lines (all counties; parent "-" for none), observations as CSV rows, period 2025Q3.</summary>
    public static EvaluationResult EvaluateWithParents(string yaml, string units, string observations)
    {
        var unitRows = units.Trim().Split('\n').Select(l => l.Trim().Split(' ', 3))
            .Select(p => $"{p[0]},单位{p[0]},county,{(p[2] == "-" ? "" : p[2])},{p[1]}");
        var unitFile = DataFiles.ReadUnits("code,name,level,parent,class\n" + string.Join("\n", unitRows), "u.csv");
        Assert.True(unitFile.IsValid, string.Join("\n", unitFile.Errors));
        var codes = unitFile.Rows.Select(u => u.Code).ToHashSet();
        var obsFile = DataFiles.ReadObservations("unit,indicator,period,actual,target,baseline\n" + observations.Trim(), "o.csv", codes);
        Assert.True(obsFile.IsValid, string.Join("\n", obsFile.Errors));
        return Evaluator.Evaluate(Compile(yaml), new Dataset(unitFile.Rows, obsFile.Rows), Period.Parse("2025Q3"));
    }

    public static UnitResult Unit(this EvaluationResult result, string code) => result.Units.Single(u => u.Code == code);

    public static IndicatorResult Indicator(this EvaluationResult result, string code, string id = "x") =>
        result.Unit(code).Indicators.Single(i => i.Id == id);

    public static IReadOnlyList<RulesetDiagnostic> Diagnose(string yaml) => RulesetLoader.Load(yaml).Diagnostics;
}
