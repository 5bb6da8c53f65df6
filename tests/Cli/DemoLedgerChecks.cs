using System.Globalization;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Tests.Oracle;
using BaiQianWan.Assess.Tests.Scorecards;

namespace BaiQianWan.Assess.Tests.Cli;

/// <summary>What the demo's task ledger leaves (checked by <see cref="DemoTests"/> on its run of the demo).</summary>
internal static class DemoLedgerChecks
{
    /// <summary>
    /// The tasks file, the printed 按期销号率 of each county class on 2025-09-30 (recounted by the independent oracle from
    /// the stored ledger), and the September ledger bulletins with every county.
    /// </summary>
    public static async Task CheckAsync(string directory, string output)
    {
        Assert.True(File.Exists(Path.Combine(directory, "province", "ledger.csv")));
        Assert.Contains("任务台账：2025 年 228 项（28 个分组项、200 项举措）", output);
        var db = Path.Combine(directory, "demo.db");
        await using var ledger = new SqliteLedgerStore(db);
        await ledger.InitializeAsync();
        await using var store = new SqliteAssessStore(db);
        var units = await store.GetUnitsAsync(2025);
        var tasks = await ledger.GetTasksAsync(2025);
        var history = (await ledger.GetHistoriesAsync(2025)).Values.SelectMany(h => h).ToList();
        Assert.Equal(200, tasks.Count(t => t.Unit is not null));
        Assert.Contains(history, e => e.Change == Rules.Ledger.LedgerChange.Reopen);
        var oracle = LedgerOracle.Figures(tasks, history, 2025, new DateOnly(2025, 9, 30));
        foreach (var cls in new[] { "创先", "进位", "消薄" })
        {
            var codes = units.Where(u => u.Level == UnitLevel.County && u.Class == cls).Select(u => u.Code).ToList();
            var due = codes.Sum(c => (int)oracle[(c, "ledger_due")].Actual);
            var onTime = codes.Sum(c => (int)oracle[(c, "ledger_closed_on_time")].Actual);
            Assert.True(due > 0);
            var rate = (100m * onTime / due).ToString("0.00", CultureInfo.InvariantCulture);
            Assert.Contains($"\n  县（市、区） {cls}：{codes.Count} 个单位，到期 {due} 项，按期销号 {onTime} 项，按期销号率 {rate}%\n", output.ReplaceLineEndings("\n"));
        }
        var bulletin = await File.ReadAllBytesAsync(Path.Combine(directory, "ledger", "bulletins", "ledger-county.pdf"));
        var flat = Pdf.Flat(Pdf.Text(bulletin));
        Assert.Contains("2025年9月任务台账销号情况通报（县（市、区））", flat);
        Assert.All(units.Where(u => u.Level == UnitLevel.County), u => Assert.Contains(u.Name + u.Code, flat));
        Assert.True(File.Exists(Path.Combine(directory, "ledger", "bulletins", "ledger-town.pdf")));
    }
}
