using BaiQianWan.Assess.Rules.Loading;

namespace BaiQianWan.Assess.Tests.Loading;

public class ValidationTests
{
    // A valid base; each test breaks one thing (CodeTableTests breaks it once per code). Line numbers are 1-based,
    // as the loader reports them: 1 id … 4 classes, 5 dimensions, 6-8 the dimension, 9 - id: x, 10 name, 11 weight,
    // 12 method, 13 cap, 14 adjustments, 15 - id: v, 16 name, 17 kind, 18 grades … 21 好, 22 一般 (RulesetYaml's layout).
    internal static readonly string Valid = RulesetYaml.County().Class("创先", "进位")
        .Indicator("x", "指标", "weight: 10\nmethod: completion\ncap: 1.2")
        .Then("adjustments:\n  - id: v\n    name: 否决\n    kind: veto")
        .Grades("grades:\n  by: rankShare\n  levels:\n    - { name: 好, share: 0.3 }\n    - { name: 一般 }")
        .Build();

    private static RulesetDiagnostic Single(string yaml)
    {
        var diagnostics = RulesetLoader.Load(yaml).Diagnostics;
        return Assert.Single(diagnostics);
    }

    private static void At(RulesetDiagnostic d, int line, int column, string containing)
    {
        Assert.Equal((line, column), (d.Position.Line, d.Position.Column));
        Assert.Contains(containing, d.Message);
    }

    [Fact]
    public void The_base_ruleset_is_valid()
    {
        var result = RulesetLoader.Load(Valid);
        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        Assert.Equal(2, result.Ruleset!.Decimals); // default
    }

    [Fact]
    public void Unknown_key_points_at_the_key() =>
        At(Single(Valid.Replace("        cap: 1.2", "        cap: 1.2\n        metirc: value")), 14, 9, "未知的键 'metirc'");

    [Fact]
    public void Parameter_of_another_method_is_an_unknown_key() =>
        At(Single(Valid.Replace("        cap: 1.2", "        step: 0.1")), 13, 9, "completion 方法不用这个参数");

    [Fact]
    public void Duplicate_id_points_at_the_second_id() =>
        At(Single(Valid.Replace("  - id: v", "  - id: x")), 15, 9, "重复的 id 'x'");

    [Fact]
    public void Duplicate_key_points_at_the_second_key() =>
        At(Single(Valid.Replace("        cap: 1.2", "        cap: 1.2\n        cap: 1.1")), 14, 9, "重复的键 'cap'");

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    public void Weight_must_be_positive(string weight) =>
        At(Single(Valid.Replace("weight: 10", "weight: " + weight)), 11, 17, "权重必须大于 0");

    [Fact]
    public void Weight_must_be_a_number_and_quoted_numbers_are_text() =>
        At(Single(Valid.Replace("weight: 10", "weight: \"10\"")), 11, 17, "应为数字");

    [Fact]
    public void Class_in_a_weight_map_must_be_listed() =>
        At(Single(Valid.Replace("weight: 10", "weight: { 创先: 10, 消薄: 5 }")), 11, 27, "类别 '消薄' 不在 classes 中");

    [Fact]
    public void Missing_method_parameter_points_at_the_indicator() =>
        At(Single(Valid.Replace("method: completion\n        cap: 1.2", "method: formula")), 9, 9, "缺少必填项 'formula'");

    [Fact]
    public void Grade_shares_over_one_point_at_the_share_that_overflows()
    {
        var yaml = Valid.Replace("- { name: 好, share: 0.3 }", "- { name: 好, share: 0.7 }\n    - { name: 中, share: 0.4 }");
        At(Single(yaml), 22, 25, "等级比例之和 1.1 超过 1");
    }

    [Fact]
    public void Veto_grade_must_be_a_level() =>
        At(Single(Valid.Replace("    kind: veto", "    kind: veto\n    grade: 优秀")), 18, 12, "'优秀' 不是 grades 中的等级");

    [Fact]
    public void Yes_is_not_a_boolean() =>
        At(Single(Valid.Replace("        cap: 1.2", "        cap: 1.2\n        core: yes")), 14, 15, "core 应为 true 或 false");

    [Fact]
    public void Last_grade_level_carries_no_share() =>
        At(Single(Valid.Replace("- { name: 一般 }", "- { name: 一般, share: 0.7 }")), 22, 19, "最后一个等级");

    [Fact]
    public void Band_direction_must_match_the_metric()
    {
        var yaml = Valid.Replace("method: completion\n        cap: 1.2", "method: bands\n        bands:\n          - { max: 1, score: 1 }");
        At(Single(yaml), 14, 15, "只能用 min");
    }

    [Fact]
    public void Equal_band_bounds_are_an_error()
    {
        var yaml = Valid.Replace("method: completion\n        cap: 1.2",
            "method: bands\n        bands:\n          - { min: 1, score: 1 }\n          - { min: 1.0, score: 0.5 }");
        At(Single(yaml), 15, 20, "与另一档相同");
    }

    [Fact]
    public void Increment_cannot_read_completion() =>
        At(Single(Valid.Replace("method: completion\n        cap: 1.2", "method: increment\n        metric: completion")), 13, 17, "只能是 growth、value 或 change");

    [Fact]
    public void Yaml_syntax_errors_have_a_position()
    {
        // Hand-laid, not RulesetYaml: a flow sequence left open is what is tested, and the builder only writes well-formed YAML.
        var d = Single("id: t\nclasses: [创先\nlevel: county\n");
        Assert.StartsWith("YAML 语法错误", d.Message);
        Assert.True(d.Position.Line >= 2);
    }

    [Fact]
    public void Every_error_is_reported_in_source_order()
    {
        var yaml = Valid
            .Replace("level: county", "level: province")
            .Replace("weight: 10", "weight: -1")
            .Replace("    kind: veto", "    kind: veto\n    grade: 优秀");
        var diagnostics = RulesetLoader.Load(yaml).Diagnostics;
        Assert.Equal([3, 11, 18], diagnostics.Select(d => d.Position.Line));
        Assert.Null(RulesetLoader.Load(yaml).Ruleset);
    }

    [Fact]
    public void Format_gives_file_line_column_message() =>
        Assert.Equal("R.yaml:3:8: RS3050: level 应为 city、county、town 或 village，这里是 'x'",
            Single(Valid.Replace("level: county", "level: x")).Format("R.yaml"));
}
