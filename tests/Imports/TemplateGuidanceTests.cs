using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Model;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Tests.Store;
using BaiQianWan.Assess.Workflow.Imports;

namespace BaiQianWan.Assess.Tests.Imports;

/// <summary>
/// Issue 22 item 6: the template's unit of measure and guidance for bonus, penalty and veto rows follow each item's
/// definition (a formula veto on 亩 says 亩 and its threshold), not a fixed 项 / 件数.
/// </summary>
public sealed class TemplateGuidanceTests
{
    private static Ruleset Load(string yaml)
    {
        var loaded = RulesetLoader.Load(yaml);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Diagnostics));
        return loaded.Ruleset!;
    }

    /// <summary>The template rows of one unit, by item id: (计量单位, 填写说明).</summary>
    private static Dictionary<string, (string Measure, string Hint)> Rows(Ruleset ruleset, string @class)
    {
        var unit = new Unit("X1", "某县", ruleset.Level, null, @class);
        var cells = Xlsx.Cells(ObservationTemplate.Write(ruleset, [unit], Period.OfQuarter(2025, 3), [], []));
        var rows = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        for (var r = 2; cells.ContainsKey($"B{r}"); r++) rows[cells[$"B{r}"]] = (cells.GetValueOrDefault($"J{r}", ""), cells[$"K{r}"]);
        return rows;
    }

    [Fact]
    public void The_county_sample_s_adjustments_say_their_unit_what_to_count_and_how_it_is_scored()
    {
        var rows = Rows(Load(SampleRulesets.County), "创先");

        // when: count > 30 on 违法占用耕地（亩）: the figure is 亩, and the veto's threshold is said in 亩.
        Assert.Equal(("亩", "一票否决项：actual 填“违法占用耕地”的数量（亩），没有填 0；超过 30 亩时（规则：count > 30）否决：等次最高为“一般”，不得进入红榜"),
            rows["farmland_violation"]);
        Assert.Equal(("项", "一票否决项：actual 填“发生较大及以上生产安全事故”的件数，没有填 0；大于 0 时否决：等次最高为“一般”，不得进入红榜"),
            rows["safety_major"]);
        Assert.Equal(("项", "扣分项：actual 填“督查检查发现问题未按期整改”的件数，没有填 0；每项扣 0.5 分，最多扣 5 分"), rows["inspection_issue"]);
        Assert.Equal(("", "扣分项：actual 填“生态环境督察交办问题整改不力”的数值，没有填 0；扣分按公式 IF(count <= 2, count * 0.5, 1 + (count - 2) * 1) 计算（count 即所填数值），最多扣 4 分"),
            rows["eco_issue"]);
        Assert.Equal(("项", "加分项：actual 填“入选省级典型县（镇、村）或试点”的件数，没有填 0；每项加 0.5 分，最多加 2 分"), rows["provincial_honor"]);
    }

    [Theory]
    [InlineData("count >= 2", "达到或超过 2 起时（规则：count >= 2）否决")]
    [InlineData("count < 60", "少于 60 起时（规则：count < 60）否决")]
    [InlineData("=count <= 0.5", "不超过 0.5 起时（规则：count <= 0.5）否决")]
    [InlineData("AND(count > 2, count < 9)", "满足公式 AND(count > 2, count < 9) 时（count 即所填数值）否决")]
    public void A_formula_veto_says_its_threshold_in_words_or_quotes_its_formula(string when, string expected)
    {
        var yaml = Mini.RulesetYaml.Replace("    max: 2\n", $"    max: 2\n  - {{ id: fire, name: 火灾(起), kind: veto, when: \"{when}\", grade: 一般 }}\n");
        var (measure, hint) = ObservationTemplate.Guidance(Load(yaml).Adjustments.Single(a => a.Id == "fire"), Load(yaml));

        Assert.Equal("起", measure);
        Assert.Equal($"一票否决项：actual 填“火灾”的数量（起），没有填 0；{expected}：等次最高为“一般”，不得进入红榜", hint);
    }

    [Fact]
    public void An_excluding_veto_says_the_unit_is_not_ranked()
    {
        var ruleset = Load(SampleRulesets.TownV3);
        var veto = ruleset.Adjustments.First(a => a.Exclude);

        var (_, hint) = ObservationTemplate.Guidance(veto, ruleset);

        Assert.EndsWith("否决：取消参评资格（照常计分，但不排名、不评等次、不上红黑榜）", hint);
    }
}
