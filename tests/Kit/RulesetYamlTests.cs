using BaiQianWan.Assess.Rules.Loading;

namespace BaiQianWan.Assess.Tests.Kit;

/// <summary>The builder writes the layout the tests' line and column numbers were counted on, and what it writes loads.</summary>
public class RulesetYamlTests
{
    [Fact]
    public void A_flow_indicator_ruleset_is_the_text_the_tests_wrote_by_hand()
    {
        var yaml = RulesetYaml.County("c").Class("创先").Indicator("{ id: x, name: 指标, weight: 10, method: completion }").Build();
        Assert.Equal("""
            id: c
            name: 测试
            level: county
            classes: [创先]
            dimensions:
              - id: d
                name: 维度
                indicators:
                  - { id: x, name: 指标, weight: 10, method: completion }
            grades:
              by: rankShare
              levels:
                - { name: 好, share: 0.5 }
                - { name: 一般 }
            """, yaml);
        Assert.True(RulesetLoader.Load(yaml).IsValid);
    }

    [Fact]
    public void A_block_indicator_keeps_its_keys_from_line_11_and_nested_lines_indented()
    {
        var yaml = RulesetYaml.Town("w").Named("镇").Class("中心镇", "专业镇").Decimals(2).Top("inputs:\n  - { id: p, name: 人口 }")
            .Dimension("e", "经济", "cap: 20")
            .Indicator("x", "指标", "weight: 10\nmethod: steps\nup:\n  every: 0.3\n  points: 1")
            .Then("adjustments:\n  - { id: v, name: 否决, kind: veto }").NoGrades().Last("lists:\n  red: { top: 1 }").Build();
        Assert.Equal("""
            id: w
            name: 镇
            level: town
            classes: [中心镇, 专业镇]
            decimals: 2
            inputs:
              - { id: p, name: 人口 }
            dimensions:
              - id: e
                name: 经济
                cap: 20
                indicators:
                  - id: x
                    name: 指标
                    weight: 10
                    method: steps
                    up:
                      every: 0.3
                      points: 1
            adjustments:
              - { id: v, name: 否决, kind: veto }
            lists:
              red: { top: 1 }
            """, yaml);
    }

    [Fact]
    public void A_formula_error_is_found_where_the_tests_count_it()
    {
        // Line 13, column 19: where FormulaLimitTests and FormulaCrashTests expect a formula's first character.
        var yaml = RulesetYaml.County("c").Class("创先").Indicator("x", "指标", "weight: 10\nmethod: formula\nformula: \"1 +\"").Build();
        var error = Assert.Single(RulesetLoader.Load(yaml).Diagnostics, d => d.Code is not null);
        Assert.Equal(13, error.Position.Line);
        Assert.True(error.Position.Column >= 19, error.ToString());
    }
}
