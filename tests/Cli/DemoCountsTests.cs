using BaiQianWan.Assess.Cli.Commands;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Samples;

namespace BaiQianWan.Assess.Tests.Cli;

/// <summary>
/// The demo's count of evaluated units beside the province's (122 county-level units and 1,609 towns, as the README
/// says): the two of each level whose class the sample rulesets do not assess are counted and named.
/// </summary>
public sealed class DemoCountsTests
{
    private static readonly Dataset Province = ProvinceGenerator.Generate(new ProvinceOptions());

    private static EvaluationResult Evaluate(string yaml, Period period)
    {
        var loaded = RulesetLoader.Load(yaml);
        Assert.True(loaded.IsValid);
        return Evaluator.Evaluate(CompiledRuleset.Compile(loaded.Ruleset!, loaded.Sha256), Province, period);
    }

    [Fact]
    public void The_county_line_counts_122_units_evaluates_120_and_names_the_two_left_out()
    {
        var results = Evaluate(SampleRulesets.County, Period.OfQuarter(2025, 3));
        Assert.Equal("122 个单位中评价 120 个（另 2 个的类别不在示例规则集中，未参评：梧洲特别合作区（980504，“特别合作区”类）、琼阳新区（981104，“新区”类））",
            DemoCommand.Evaluated(Province, UnitLevel.County, results));
    }

    [Fact]
    public void The_town_line_counts_1609_units_evaluates_1607_and_names_the_two_left_out()
    {
        var results = Evaluate(SampleRulesets.Town, Period.OfQuarter(2025, 3));
        Assert.Equal("1609 个单位中评价 1607 个（另 2 个的类别不在示例规则集中，未参评：碧洞镇（981221111，“县城”类）、芙沙镇（981721109，“样板墟”类））",
            DemoCommand.Evaluated(Province, UnitLevel.Town, results));
    }
}
