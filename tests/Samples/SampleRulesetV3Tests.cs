using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Model;
using BaiQianWan.Assess.Samples;

namespace BaiQianWan.Assess.Tests.Samples;

/// <summary>
/// The v3 sample (<c>town-v3.yaml</c>, timed by the bench's <c>nrules.v3.ratio</c>): valid, over the province's
/// town data, and using each v3 feature the bench is meant to time.
/// </summary>
public sealed class SampleRulesetV3Tests(ProvinceFixture fixture) : IClassFixture<ProvinceFixture>
{
    private static Ruleset Load()
    {
        var loaded = RulesetLoader.Load(SampleRulesets.TownV3);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Diagnostics));
        return loaded.Ruleset!;
    }

    [Fact]
    public void Is_valid_and_reads_the_town_data()
    {
        var ruleset = Load();
        Assert.Equal(("town-v3-2025", UnitLevel.Town), (ruleset.Id, ruleset.Level));
        var reported = fixture.Province.Observations.Select(o => o.Indicator).ToHashSet();
        Assert.All(ruleset.Indicators.Select(i => i.Id).Concat(ruleset.Adjustments.Select(a => a.Id)), id => Assert.Contains(id, reported));
    }

    [Fact]
    public void Uses_steps_dimension_caps_and_factor_broader_averages_an_excluding_veto_and_level_grades()
    {
        var ruleset = Load();
        Assert.Contains(ruleset.Indicators, i => i.Method is StepsMethod);
        Assert.Contains(ruleset.Dimensions, d => d.Cap is not null);
        Assert.Contains(ruleset.Dimensions, d => d.Factor is not null);
        Assert.Contains(ruleset.Indicators, i => i.Method is FormulaMethod f && f.Formula.Contains("parentAvg", StringComparison.Ordinal));
        Assert.Contains(ruleset.Indicators, i => i.Method is FormulaMethod f && f.Formula.Contains("levelAvg", StringComparison.Ordinal));
        Assert.True(ruleset.HasExclusions);
        Assert.True(ruleset.Grades.LevelScope);
        Assert.NotNull(ruleset.TotalCap);
    }
}
