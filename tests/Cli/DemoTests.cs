using BaiQianWan.Assess.Cli;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Tests.Scorecards;

namespace BaiQianWan.Assess.Tests.Cli;

/// <summary>The README's main command, on the county level only (the town level is the same path, 13× the PDFs).</summary>
[Trait("Cost", "Slow")]
public sealed class DemoTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-demo-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Demo_imports_evaluates_and_publishes_three_quarters_and_exports_the_latest_quarters_county_scorecards()
    {
        // A store from an earlier demo, with an account made since and a stale export: --replace says to rebuild.
        await using (var old = new SqliteAccountStore(Path.Combine(_dir, "demo.db")))
        {
            await old.InitializeAsync();
            await old.CreateAsync(new Account("clerk", "办事员", AccountRole.Office, null, true, "hash", false, 0, null, DateTimeOffset.UnixEpoch, null), "office");
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // as when that demo's process ended
        Directory.CreateDirectory(Path.Combine(_dir, "2025Q1", "county", "scorecards"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "2025Q1", "county", "scorecards", "STALE.pdf"), "old");

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApp.Run(["demo", "--out", _dir, "--level", "county", "--replace"], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        Assert.Equal("", stderr.ToString());

        // The old store is gone: only the demo's three accounts.
        await using (var accounts = new SqliteAccountStore(Path.Combine(_dir, "demo.db")))
        {
            await accounts.InitializeAsync();
            Assert.Equal(["author", "office", "unit-980102"], (await accounts.ListAsync()).Select(a => a.Name).Order(StringComparer.Ordinal));
        }

        // Three published county runs of sample data, each with 120 scorecards and a bulletin per class.
        await using var store = new SqliteAssessStore(Path.Combine(_dir, "demo.db"));
        await store.InitializeAsync();
        for (var q = 1; q <= 3; q++)
        {
            var period = Period.OfQuarter(2025, q);
            var publication = await store.GetPublicationAsync(period, UnitLevel.County);
            Assert.NotNull(publication);
            var run = (await store.GetRunAsync(publication.RunId))!;
            Assert.Equal(RunStatus.Succeeded, run.Status);
            Assert.True(run.Sample);
            var documents = await store.ListDocumentsAsync(run.Id);
            Assert.Equal((120, 3), (documents.Count(d => d.Kind == DocumentKind.Scorecard), documents.Count(d => d.Kind == DocumentKind.Bulletin)));
            Assert.Null(await store.GetPublicationAsync(period, UnitLevel.Town));
        }
        // The fourth quarter is published for the year end, its PDFs kept in the store only.
        Assert.NotNull(await store.GetPublicationAsync(Period.OfQuarter(2025, 4), UnitLevel.County));
        Assert.False(Directory.Exists(Path.Combine(_dir, "2025Q4")));
        // Only the latest quarter is exported to files (the stale export of an earlier one is gone with --replace); the earlier
        // quarters' PDFs stay in the store, once, and the printout says so.
        Assert.Equal(120, Directory.GetFiles(Path.Combine(_dir, "2025Q3", "county", "scorecards"), "*.pdf").Length);
        Assert.Equal(["创先.pdf", "消薄.pdf", "进位.pdf"],
            Directory.GetFiles(Path.Combine(_dir, "2025Q3", "county", "bulletins")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(_dir, "2025Q1")));
        Assert.False(Directory.Exists(Path.Combine(_dir, "2025Q2")));
        Assert.Contains("\n2025Q1 已发布的 PDF 留在库中（门户和 API 可下载；只导出最新一季到文件，或用 export --period 2025Q1）\n", stdout.ToString());
        Assert.Contains("\n2025Q3 已发布的 PDF：123 个 → ", stdout.ToString());

        // The exported scorecard is the stored one, and reads back with the unit's name, total and the sample mark.
        var q3 = (await store.GetPublicationAsync(Period.OfQuarter(2025, 3), UnitLevel.County))!;
        var results = (await store.GetResultsAsync(q3.RunId))!;
        var first = results.Units[0];
        var exported = await File.ReadAllBytesAsync(Path.Combine(_dir, "2025Q3", "county", "scorecards", first.Code + ".pdf"));
        Assert.Equal((await store.GetDocumentAsync(q3.RunId, DocumentKind.Scorecard, first.Code))!.Content, exported);
        var text = Pdf.Text(exported);
        Assert.Contains(first.Name, text);
        Assert.Contains(Numbers.Fixed(first.Total, 2), text);
        Assert.Contains("示例数据", text);

        // Each quarter's line counts the province's 122 county-level units, the 120 evaluated and the two left out.
        foreach (var quarter in new[] { "一季度（1—3月）", "二季度（1—6月累计）", "三季度（1—9月累计）" })
            Assert.Contains($"\n2025年第{quarter} 县（市、区）：122 个单位中评价 120 个（另 2 个的类别不在示例规则集中，未参评：梧洲特别合作区（980504，“特别合作区”类）、" +
                           "琼阳新区（981104，“新区”类）），记分卡 120 份、通报 3 份，已发布（运行 ", stdout.ToString());
        Assert.StartsWith("示例省份（虚构）：1731 个单位（县（市、区） 122 个、乡镇（街道） 1609 个），", stdout.ToString());

        // The printed table is the Q3 ranking: each class's heading, and its first unit on rank 1 with its total.
        var output = stdout.ToString();
        foreach (var cls in new[] { "创先", "进位", "消薄" })
        {
            Assert.Contains($"【{cls}】2025年第三季度", output);
            var top = results.Units.First(u => u.Class == cls);
            Assert.Equal(1, top.Rank);
            Assert.Matches($@"\n +1 {top.Name} +{Numbers.Fixed(top.Total, 2).Replace(".", @"\.")} ", output);
        }

        // The month: 2025-09's county bulletin published, its unit pages and bulletin stored with the run, the counts per class printed.
        var month = await store.GetPublicationAsync(Period.OfMonth(2025, 9), UnitLevel.County);
        Assert.NotNull(month);
        var monthDocuments = await store.ListDocumentsAsync(month.RunId);
        Assert.Equal(120, monthDocuments.Count(d => d.Kind == DocumentKind.Scorecard));
        // The level's month bulletin (the demo loads its ledger after the months, so no ledger bulletin rides with them).
        Assert.Equal(["county"], monthDocuments.Where(d => d.Kind == DocumentKind.Bulletin).Select(d => d.Key).Order(StringComparer.Ordinal));
        Assert.Contains("\n  创先 30 个单位：红灯 15，黄灯 5，绿灯 160，缺数 0\n  进位 59 个单位：红灯 40，黄灯 11，绿灯 303，缺数 0\n" +
                        "  消薄 31 个单位：红灯 30，黄灯 5，绿灯 150，缺数 1\n  合计 120 个单位：红灯 85，黄灯 21，绿灯 613，缺数 1\n", output.Replace("\r\n", "\n"));
        Assert.Null(await store.GetPublicationAsync(Period.OfMonth(2025, 9), UnitLevel.Town));
        await DemoLedgerChecks.CheckAsync(_dir, output); // the year's task ledger: its tasks file, each class's 按期销号率, its bulletins
        await DemoAnnualChecks.CheckAsync(_dir, output); // the year end: the fourth quarter, then 2025 by the sample annual ruleset, each class's ranking
    }

    [Fact]
    public void Demo_rejects_an_unknown_level()
    {
        var stderr = new StringWriter();
        Assert.Equal(CliApp.InvalidInput, CliApp.Run(["demo", "--out", _dir, "--level", "village"], new StringWriter(), stderr));
        Assert.Contains("--level", stderr.ToString());
    }
}
