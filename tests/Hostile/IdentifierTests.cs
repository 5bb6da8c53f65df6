using BaiQianWan.Assess.Cli;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Tests.Store;

namespace BaiQianWan.Assess.Tests.Hostile;

/// <summary>Issue 14 row 4 (identifiers and escaped output) and row 16 (one active ruleset per level).</summary>
public sealed class IdentifierTests : IAsyncLifetime
{
    private readonly TempSqlite _file = new();
    private IAssessStore _store = null!;
    private AssessmentService _service = null!;

    public async Task InitializeAsync()
    {
        _store = await _file.OpenAsync();
        _service = new AssessmentService(_store, new TestClock(), null);
        await _service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await _service.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _file.DisposeAsync();
    }

    [Theory]
    [InlineData("\"nl\\r\\nX-Injected: 1\"", "nl\\r\\nX-Injected: 1")]
    [InlineData("../../x", "../../x")]
    [InlineData("a/b", "a/b")]
    [InlineData("\"\"", null)]
    [InlineData("abcdefghijabcdefghijabcdefghijabc", "abcdefghijabcdefghijabcdefghijabc")]
    public void A_ruleset_id_outside_the_code_pattern_is_refused_at_the_id(string yamlId, string? shown)
    {
        var d = RulesetLoader.Load(Mini.RulesetYaml.Replace("id: mini", "id: " + yamlId)).Diagnostics;
        var error = Assert.Single(d);
        Assert.Equal((1, 5), (error.Position.Line, error.Position.Column));
        if (shown is not null) Assert.Equal($"规则集 id '{shown}' 不合规（只能是 1–32 位字母、数字、_ 或 -）", error.Message);
    }

    [Fact]
    public void Class_names_and_item_ids_are_keys_and_names_are_printable()
    {
        var yaml = Mini.RulesetYaml
            .Replace("classes: [甲, 乙]", "classes: [甲, \"乙/丙\"]")
            .Replace("- id: rev", "- id: \"r\\u202Eev\"")
            .Replace("name: 迷你考核", "name: \"迷你\\n考核\"");
        var messages = RulesetLoader.Load(yaml).Diagnostics.Select(d => d.ToString()).ToList();
        Assert.Equal(
        [
            "2:7: RS1014: name 含有控制字符或超过 200 个字符",
            "4:14: RS1015: 类别 '乙/丙' 不合规（1–32 个可打印字符，不含 / 和 \\，首尾不能有空格）",
            "17:13: RS1015: 指标的 id 'r\\u202Eev' 不合规（1–32 个可打印字符，不含 / 和 \\，首尾不能有空格）",
        ], messages);
    }

    [Fact]
    public void Names_may_be_any_printable_unicode()
    {
        var yaml = Mini.RulesetYaml.Replace("name: 迷你考核", "name: 迷你考核 𠀀 ✓ «Ünïcödé»");
        Assert.True(RulesetLoader.Load(yaml).IsValid);
        Assert.True(TextRules.IsName("广东省 百千万工程 𠀀"));
        Assert.False(TextRules.IsName("a\u2028b"));
        Assert.Equal("a\\r\\nb\\u0000c\\u202E𠀀", TextRules.Escape("a\r\nb\0c\u202E𠀀"));
    }

    [Fact]
    public async Task Cli_audit_and_ruleset_list_escape_control_characters_so_no_line_can_be_forged()
    {
        var db = Path.Combine(Path.GetTempPath(), $"bqw-audit-{Guid.NewGuid():N}.db");
        var yaml = Path.Combine(Path.GetTempPath(), $"bqw-audit-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(yaml, Mini.RulesetYaml);
        try
        {
            Assert.Equal(0, CliApp.Run(["init", "--store", db], new StringWriter(), new StringWriter()));
            Assert.Equal(0, CliApp.Run(["ruleset", "add", yaml, "--store", db, "--actor", "eve\n2\t2026-01-01\tadmin\tpublish"], new StringWriter(), new StringWriter()));
            var audit = new StringWriter();
            Assert.Equal(0, CliApp.Run(["audit", "--store", db], audit, new StringWriter()));
            var lines = audit.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var line = Assert.Single(lines);
            Assert.Contains("\teve\\n2\\t2026-01-01\\tadmin\\tpublish\truleset.add\tmini@1\t", line);

            var list = new StringWriter();
            Assert.Equal(0, CliApp.Run(["ruleset", "list", "--store", db], list, new StringWriter()));
            Assert.Contains("\teve\\n2\\t2026-01-01\\tadmin\\tpublish\t", Assert.Single(list.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in new[] { db, db + "-wal", db + "-shm", yaml }) File.Delete(f);
        }
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_second_ruleset_for_a_level_is_refused_unless_it_replaces_the_first_and_then_only_it_counts()
    {
        await _service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author");
        await _service.ActivateRulesetAsync("mini", 1, "chief");
        await _service.AddRulesetAsync(Mini.RulesetV2.Replace("id: mini", "id: mini-2026"), "mini2.yaml", "author");

        var e = await Assert.ThrowsAsync<StoreException>(() => _service.ActivateRulesetAsync("mini-2026", 1, "chief"));
        Assert.Equal(StoreError.Conflict, e.Error);
        Assert.Equal("县（市、区）层级已启用规则集 mini@1，每个层级只能有一个启用的规则集；要改用 mini-2026@1，请明确替换（命令行 --replace，API ?replace=true，门户“启用并替换”；原规则集保留，但不再用于评价）", e.Message);
        Assert.Equal([("mini", 1)], (await _service.GetActiveRulesetsAsync()).Select(a => (a.Ruleset.RulesetId, a.Ruleset.Version)));

        await _service.ActivateRulesetAsync("mini-2026", 1, "chief", replace: true);
        var active = Assert.Single(await _service.GetActiveRulesetsAsync());
        Assert.Equal((UnitLevel.County, "mini-2026", 1), (active.Level, active.Ruleset.RulesetId, active.Ruleset.Version));
        // Replaced means deactivated in the same change: the old one stays stored but is no longer active.
        Assert.Null(await _service.FindActiveRulesetAsync("mini"));
        Assert.NotNull(await _service.FindRulesetAsync("mini", 1));

        // Going back is the same explicit choice.
        await Assert.ThrowsAsync<StoreException>(() => _service.ActivateRulesetAsync("mini", 1, "chief"));
        await _service.ActivateRulesetAsync("mini", 1, "chief", replace: true);
        Assert.Equal("mini", Assert.Single(await _service.GetActiveRulesetsAsync()).Ruleset.RulesetId);
    }
}
