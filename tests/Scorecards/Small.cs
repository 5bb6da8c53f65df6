using System.Globalization;
using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Scorecards;

namespace BaiQianWan.Assess.Tests.Scorecards;

/// <summary>Small evaluations built from YAML and CSV text, evaluated by the real engine, for the renderer's tests.</summary>
internal static class Small
{
    public static readonly DocumentStamp Stamp = new("run-test-0001", new DateTimeOffset(2025, 10, 8, 1, 30, 0, TimeSpan.Zero), false);

    /// <summary>
    /// A county ruleset of <paramref name="count"/> completion indicators (weight 1 each, names 指标01 …) in
    /// three dimensions, with a bonus, a penalty and a veto capping the grade at 一般.
    /// </summary>
    public static string Ruleset(int count)
    {
        var yaml = new StringBuilder("""
            id: small
            name: 测试考核
            level: county
            classes: [创先]
            decimals: 2
            dimensions:

            """);
        var perDimension = (count + 2) / 3;
        for (var d = 0; d < 3; d++)
        {
            var first = d * perDimension;
            if (first >= count) break;
            yaml.Append(CultureInfo.InvariantCulture, $"  - id: d{d}\n    name: 维度{"甲乙丙"[d]}\n    indicators:\n");
            for (var i = first; i < Math.Min(count, first + perDimension); i++)
                yaml.Append(CultureInfo.InvariantCulture,
                    $"      - {{ id: x{i + 1:D2}, name: 指标{i + 1:D2}, unit: 亿元, weight: 1, method: completion }}\n");
        }
        yaml.Append("""
            adjustments:
              - { id: honor, name: 国家级荣誉, kind: bonus, per: 1, max: 2 }
              - { id: issue, name: 督查问题未整改, kind: penalty, per: 0.5 }
              - { id: accident, name: 较大安全事故, kind: veto, grade: 一般 }
            grades:
              by: rankShare
              levels:
                - { name: 好, share: 0.4 }
                - { name: 较好, share: 0.4 }
                - { name: 一般 }
            lists:
              red: { top: 1 }
              black: { bottom: 1 }
            """);
        return yaml.ToString();
    }

    /// <summary>Evaluates: units as (code, name), all class 创先; observations as CSV rows without header; 2025Q3.</summary>
    public static EvaluationResult Evaluate(string yaml, IEnumerable<(string Code, string Name)> units, string observations, string period = "2025Q3")
    {
        var loaded = RulesetLoader.Load(yaml);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Diagnostics));
        var unitFile = DataFiles.ReadUnits("code,name,level,parent,class\n" + string.Join("\n", units.Select(u => $"{u.Code},{u.Name},county,,创先")), "u.csv");
        Assert.True(unitFile.IsValid, string.Join("\n", unitFile.Errors));
        var codes = unitFile.Rows.Select(u => u.Code).ToHashSet();
        var obsFile = DataFiles.ReadObservations("unit,indicator,period,actual,target,baseline\n" + observations.Trim(), "o.csv", codes);
        Assert.True(obsFile.IsValid, string.Join("\n", obsFile.Errors));
        return Evaluator.Evaluate(CompiledRuleset.Compile(loaded.Ruleset!, loaded.Sha256), new Dataset(unitFile.Rows, obsFile.Rows), Period.Parse(period));
    }

    /// <summary>Observation rows giving unit <paramref name="code"/> actual = <paramref name="actual"/> against target 100 on indicators 1..n.</summary>
    public static string Rows(string code, int count, Func<int, decimal> actual, string period = "2025Q3") =>
        string.Join("\n", Enumerable.Range(1, count).Select(i =>
            $"{code},x{i:D2},{period},{actual(i).ToString(CultureInfo.InvariantCulture)},100,"));
}
