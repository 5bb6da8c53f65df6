using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Samples;

namespace BaiQianWan.Assess.Tests.Loading;

/// <summary>
/// Issue 22 item 10: a class whose weights do not add up to the ruleset's total is a warning (code, line, column), never an
/// error. The expected sums are worked by hand from the YAML below (docs/rules.md, "Weights and the total").
/// </summary>
public sealed class WeightWarningsTests
{
    // Lines: 1 id … 4 classes (甲 at column 11, 乙 at 14), 5 dimensions, then two dimensions of two indicators each.
    private const string V2 = """
        id: w
        name: 权重
        level: county
        classes: [甲, 乙]
        dimensions:
          - id: a
            name: 经济
            indicators:
              - { id: a1, name: 甲一, weight: {甲: 40, 乙: 50}, method: completion }
              - { id: a2, name: 甲二, weight: 20, method: completion }
          - id: b
            name: 民生
            indicators:
              - { id: b1, name: 乙一, weight: {甲: 40, 乙: 49.97}, method: completion }
        """;

    private static RulesetLoadResult Load(string yaml)
    {
        var loaded = RulesetLoader.Load(yaml);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Diagnostics));
        return loaded;
    }

    [Fact]
    public void Without_total_cap_a_class_not_adding_up_to_100_is_warned_at_the_class_and_the_ruleset_stays_valid()
    {
        var loaded = Load(V2);

        // 甲: 40 + 20 + 40 = 100. 乙: 50 + 20 + 49.97 = 119.97.
        var warning = Assert.Single(loaded.Warnings);
        Assert.Equal(("RS9001", "warning", 4, 14), (warning.Code, warning.Severity, warning.Position.Line, warning.Position.Column));
        Assert.Equal("类别 '乙' 的指标权重合计 119.97（经济 70 + 民生 49.97），不是 100 分：全部达标的单位得 119.97 分（总分不是百分制时可忽略；用 totalCap 写明总分）",
            warning.Message);
        Assert.Empty(loaded.Diagnostics);
        Assert.Equal((100m, "经济 60 + 民生 40"), RulesetWarnings.FullMarks(loaded.Ruleset!, "甲"));
    }

    [Theory]
    // economy capped at 50 (its 70 counts 50) × 0.6 = 30, 民生 49.97 × 0.8 = 39.976: 69.976 ≤ 100, no warning.
    [InlineData("cap: 50\nfactor: 0.6", "factor: 0.8", "totalCap: 100", null, null)]
    // No cap: 甲 60 + 40 = 100 and 乙 70 + 49.97 = 119.97 against totalCap 110: only 乙 passes it, by 9.97.
    [InlineData("", "", "totalCap: 110", "乙", "类别 '乙' 的指标权重合计 119.97（经济 70 + 民生 49.97），超过 totalCap 110：全部达标的单位也会被总分封顶截去 9.97 分")]
    // Caps below the sums: 甲 min(60, 55) + 40 = 95, 乙 min(70, 55) + 49.97 = 104.97 against totalCap 100.
    [InlineData("cap: 55", "", "totalCap: 100", "乙", "类别 '乙' 的指标权重合计 104.97（经济 70 封顶 55 + 民生 49.97），超过 totalCap 100：全部达标的单位也会被总分封顶截去 4.97 分")]
    public void With_total_cap_caps_and_factors_count_and_only_full_marks_over_the_cap_are_warned(string economy, string livelihood, string total,
        string? warnedClass, string? message)
    {
        // The dimensions' extra keys go after their names (lines 7 and 12 of V2), indented as the names are.
        var lines = V2.Split('\n').ToList();
        if (livelihood.Length > 0) lines.Insert(11, "    " + livelihood);
        if (economy.Length > 0) lines.InsertRange(6, economy.Split('\n').Select(l => "    " + l));
        var loaded = Load(string.Join("\n", lines) + "\n" + total + "\n");

        if (warnedClass is null) Assert.Empty(loaded.Warnings);
        else
        {
            var warning = Assert.Single(loaded.Warnings);
            Assert.Equal(("RS9002", "warning"), (warning.Code, warning.Severity));
            Assert.Equal(message, warning.Message);
        }
    }

    [Fact]
    public void The_sample_rulesets_add_up()
    {
        Assert.Empty(Load(SampleRulesets.County).Warnings);
        Assert.Empty(Load(SampleRulesets.Town).Warnings);
        // v3 town: caps and factors bring each class under its totalCap of 100 (bonus and steps points fill the rest).
        Assert.Empty(Load(SampleRulesets.TownV3).Warnings);
    }

    [Fact]
    public void An_invalid_ruleset_has_errors_and_no_warnings()
    {
        var loaded = RulesetLoader.Load(V2.Replace("weight: 20", "weight: 0"));

        Assert.NotEmpty(loaded.Diagnostics);
        Assert.Empty(loaded.Warnings);
        Assert.All(loaded.Diagnostics, d => Assert.Equal("error", d.Severity));
    }

    [Fact]
    public void Weights_too_large_to_add_up_give_no_warning_and_no_crash()
    {
        var huge = V2.Replace("weight: 20", "weight: 79000000000000000000000000000").Replace("{甲: 40, 乙: 50}", "79000000000000000000000000000");

        var loaded = RulesetLoader.Load(huge);

        Assert.True(loaded.IsValid, string.Join("\n", loaded.Diagnostics));
        Assert.Empty(loaded.Warnings);
    }
}
