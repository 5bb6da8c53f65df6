using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Samples;
using YamlDotNet.RepresentationModel;

namespace BaiQianWan.Assess.Tests.Samples;

/// <summary>
/// The sample rulesets against the generated province, and against the contract's shape: the
/// engine's validator is the authority, these checks keep the samples honest until it runs them.
/// </summary>
public sealed class SampleRulesetTests(ProvinceFixture fixture) : IClassFixture<ProvinceFixture>
{
    public static TheoryData<string> Rulesets => [SampleRulesets.CountyFileName, SampleRulesets.TownFileName];

    private static RulesetOutline Outline(string file) => RulesetOutline.Parse(SampleRulesets.Read(file));

    [Fact]
    public void Rulesets_are_embedded_under_their_resource_names()
    {
        Assert.Equal(["rulesets/county.yaml", "rulesets/town.yaml"], SampleRulesets.ResourceNames);
        Assert.Equal(SampleRulesets.County, SampleRulesets.Read("rulesets/county.yaml"));
        Assert.Equal(SampleRulesets.Town, SampleRulesets.Read("town.yaml"));
        Assert.Throws<ArgumentException>(() => SampleRulesets.Read("village.yaml"));
    }

    [Fact]
    public void Ids_and_levels_are_the_samples_own()
    {
        Assert.Equal(("county-2025", "county"), (fixture.County.Id, fixture.County.Level));
        Assert.Equal(("town-2025", "town"), (fixture.Town.Id, fixture.Town.Level));
        Assert.Equal(["创先", "进位", "消薄"], fixture.County.Classes);
    }

    [Theory]
    [MemberData(nameof(Rulesets))]
    public void Every_indicator_and_adjustment_has_observations_from_units_of_the_ruleset_s_level(string file)
    {
        var ruleset = Outline(file);
        var reported = fixture.Province.Observations
            .Where(o => fixture.UnitsByCode[o.Unit].Level.ToText() == ruleset.Level)
            .Select(o => o.Indicator).ToHashSet();

        Assert.All(ruleset.AllIds, id => Assert.Contains(id, reported));
    }

    [Fact]
    public void Ids_of_one_level_are_never_reported_by_units_of_the_other()
    {
        var countyIds = fixture.County.AllIds.ToHashSet();
        var townIds = fixture.Town.AllIds.ToHashSet();

        Assert.Empty(countyIds.Intersect(townIds));
        Assert.All(fixture.Province.Observations, o =>
        {
            var level = fixture.UnitsByCode[o.Unit].Level;
            Assert.False(level == UnitLevel.County ? townIds.Contains(o.Indicator) : countyIds.Contains(o.Indicator), o.ToString());
        });
    }

    [Theory]
    [MemberData(nameof(Rulesets))]
    public void Each_ruleset_uses_all_six_methods(string file) =>
        Assert.Equal(["bands", "completion", "efficacy", "formula", "increment", "rank"],
            Outline(file).Indicators.Select(i => i.Method).Distinct().Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Rulesets))]
    public void The_weights_of_every_class_sum_to_100(string file)
    {
        var ruleset = Outline(file);

        Assert.All(ruleset.Classes, c => Assert.Equal(100m, ruleset.Indicators.Sum(i => i.WeightFor(c) ?? 0m)));
    }

    [Theory]
    [MemberData(nameof(Rulesets))]
    public void Some_indicator_leaves_a_class_out_of_its_weight_map(string file)
    {
        var ruleset = Outline(file);

        Assert.Contains(ruleset.Indicators, i => ruleset.Classes.Any(c => i.WeightFor(c) is null));
    }

    [Theory]
    [MemberData(nameof(Rulesets))]
    public void Each_ruleset_has_a_lower_is_better_indicator_core_indicators_and_every_adjustment_kind(string file)
    {
        var ruleset = Outline(file);
        var kinds = RulesetOutline.Sequence(ruleset.Root, "adjustments").Cast<YamlMappingNode>().ToList();

        Assert.Contains(ruleset.Indicators, i => i.Lower);
        Assert.Contains(ruleset.Indicators, i => RulesetOutline.Text(i.Node, "core") == "true");
        Assert.Contains(kinds, a => RulesetOutline.Text(a, "kind") == "bonus" && RulesetOutline.Text(a, "per") is not null);
        Assert.Contains(kinds, a => RulesetOutline.Text(a, "kind") is "bonus" or "penalty" && RulesetOutline.Text(a, "formula") is not null);
        Assert.Contains(kinds, a => RulesetOutline.Text(a, "kind") == "penalty");
        Assert.Contains(kinds, a => RulesetOutline.Text(a, "kind") == "veto" && RulesetOutline.Text(a, "when") is null);
        Assert.Contains(kinds, a => RulesetOutline.Text(a, "kind") == "veto" && RulesetOutline.Text(a, "when") is not null);
    }

    [Fact]
    public void One_ruleset_grades_by_rank_share_and_the_other_by_score()
    {
        static string? By(RulesetOutline r) => RulesetOutline.Text((YamlMappingNode)r.Root.Children[new YamlScalarNode("grades")], "by");

        Assert.Equal("rankShare", By(fixture.County));
        Assert.Equal("score", By(fixture.Town));
    }

    [Theory]
    [MemberData(nameof(Rulesets))]
    public void The_ruleset_follows_the_contract_s_shape(string file)
    {
        var problems = ContractShape.Check(Outline(file).Root);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_shape_check_itself_flags_what_the_contract_forbids()
    {
        const string yaml = """
            id: bad
            name: 坏例子
            level: county
            classes: [创先]
            colour: red
            dimensions:
              - id: economy
                name: 县域经济
                indicators:
                  - id: fai
                    name: 固定资产投资
                    weight: {创先: 10, 进位: 5}
                    core: yes
                    method: completion
                    metric: value
                    cap: 1,2
                  - id: sewage
                    name: 污水收集率
                    weight: 5
                    better: lower
                    method: bands
                    metric: value
                    bands: [{min: 70, score: 1}]
                  - id: mix
                    name: 公式
                    weight: 5
                    method: formula
                    formula: =weight * speed ^ 2 ^ 2
            adjustments:
              - id: veto
                name: 否决
                kind: veto
                grade: 优秀
            grades:
              by: rankShare
              levels:
                - {name: 好, share: 0.7}
                - {name: 一般, share: 0.4}
            """;

        var problems = string.Join("\n", ContractShape.Check(RulesetOutline.Parse(yaml).Root));

        Assert.Contains("ruleset: unknown key 'colour'", problems);
        Assert.Contains("fai: weight for unlisted class '进位'", problems);
        Assert.Contains("fai: core 'yes'", problems);
        Assert.Contains("fai: unknown key 'metric'", problems);
        Assert.Contains("fai: cap '1,2' is not a decimal number", problems);
        Assert.Contains("sewage band: unknown key 'min'", problems);
        Assert.Contains("mix: unknown name 'speed' in formula", problems);
        Assert.Contains("mix: chained ^", problems);
        Assert.Contains("veto: grade '优秀' is not a level", problems);
        Assert.Contains("grade level: unknown key 'share'", problems);
        Assert.Contains("grade shares sum above 1", problems);
    }
}
