using BaiQianWan.Assess.Cli;
using BaiQianWan.Assess.Rules.Loading;

namespace BaiQianWan.Assess.Tests.Hostile;

/// <summary>Issue 14 row 1: a ruleset nested thousands of levels deep killed the process with a stack overflow.</summary>
public sealed class YamlLimitTests
{
    private static string Nested(int depth) => "id: x\nx: " + new string('[', depth) + new string(']', depth) + "\n";

    [Fact]
    public void A_ruleset_nested_7000_levels_deep_is_refused_at_the_level_past_the_limit()
    {
        var yaml = Nested(7000); // 14 KB, as in the report
        var result = RulesetLoader.Load(yaml);
        var d = Assert.Single(result.Diagnostics);
        // Line 2 "x: [[[…": the root mapping is depth 1, so the 32nd '[' (column 4 + 31 = 35) would be depth 33.
        Assert.Equal((2, 4 + RulesetLimits.MaxDepth - 1), (d.Position.Line, d.Position.Column));
        Assert.Contains($"嵌套超过 {RulesetLimits.MaxDepth} 层", d.Message);
    }

    [Fact]
    public void Nesting_just_inside_the_limit_is_parsed_and_reported_as_an_ordinary_ruleset_error()
    {
        var result = RulesetLoader.Load(Nested(RulesetLimits.MaxDepth - 1));
        Assert.DoesNotContain(result.Diagnostics, d => d.Message.Contains("嵌套超过", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("未知的键 'x'", StringComparison.Ordinal));
    }

    [Fact]
    public void Deep_block_mappings_are_refused_too()
    {
        var lines = Enumerable.Range(0, 200).Select(i => new string(' ', i * 2) + "k" + i + ":");
        var result = RulesetLoader.Load(string.Join("\n", lines) + " 1\n");
        var d = Assert.Single(result.Diagnostics);
        Assert.Contains("嵌套超过", d.Message);
        // Line n holds key k(n-1) in the mapping of depth n: the mapping of depth 33 starts on line 33.
        Assert.Equal(RulesetLimits.MaxDepth + 1, d.Position.Line);
    }

    [Fact]
    public void More_nodes_than_the_limit_are_refused_at_the_first_node_past_it()
    {
        var yaml = "id: x\nitems: [" + string.Join(",", Enumerable.Repeat("1", RulesetLimits.MaxNodes)) + "]\n";
        var d = Assert.Single(RulesetLoader.Load(yaml).Diagnostics);
        Assert.Contains($"节点超过 {RulesetLimits.MaxNodes} 个", d.Message);
        Assert.Equal(2, d.Position.Line);
    }

    [Fact]
    public void Text_over_the_size_limit_is_refused_without_parsing()
    {
        var yaml = "id: x\nname: '" + new string('a', RulesetLimits.MaxCharacters) + "'\n";
        var d = Assert.Single(RulesetLoader.Load(yaml).Diagnostics);
        Assert.Equal((1, 1), (d.Position.Line, d.Position.Column));
        Assert.Contains("超过 1024 KB", d.Message);
    }

    [Fact]
    public void Cli_validate_reports_the_position_and_exits_1_instead_of_dying()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bqw-deep-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, Nested(7000));
        try
        {
            var stdout = new StringWriter();
            var code = CliApp.Run(["validate", path], stdout, new StringWriter());
            Assert.Equal(1, code);
            Assert.StartsWith($"{path}:2:{4 + RulesetLimits.MaxDepth - 1}: ", stdout.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
