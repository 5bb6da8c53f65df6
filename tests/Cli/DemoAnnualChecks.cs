using System.Globalization;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Tests.Oracle;

namespace BaiQianWan.Assess.Tests.Cli;

/// <summary>What the demo's year end leaves (checked by <see cref="DemoTests"/> on its run of the demo, county level).</summary>
internal static class DemoAnnualChecks
{
    private static decimal R(decimal x) => Math.Round(x, 2, MidpointRounding.AwayFromZero);

    /// <summary>
    /// The fourth quarter published; the sample annual ruleset active in the county year slot; 2025 run from the store and
    /// published, listing the publications it read; every unit's total worked here from the published quarters' totals,
    /// the published month's red lights and the ledger's overdue tasks at the year's end (the independent ledger oracle),
    /// the level-wide grade quota; and each class's printed ranking (rank, unit, total, grade).
    /// </summary>
    public static async Task CheckAsync(string directory, string output)
    {
        var db = Path.Combine(directory, "demo.db");
        await using var store = new SqliteAssessStore(db);
        await store.InitializeAsync();
        var quarters = new List<Rules.Results.EvaluationResult>();
        var read = new List<(string Period, string Run)>();
        for (var q = 1; q <= 4; q++)
        {
            var publication = (await store.GetPublicationAsync(Period.OfQuarter(2025, q), UnitLevel.County))!;
            quarters.Add((await store.GetResultsAsync(publication.RunId))!);
            read.Add(($"2025Q{q}", publication.RunId));
        }
        var september = (await store.GetPublicationAsync(Period.OfMonth(2025, 9), UnitLevel.County))!;
        read.Add(("2025-09", september.RunId));
        var reds = (await store.GetMonthResultsAsync(september.RunId))!.Units
            .ToDictionary(u => u.Code, u => u.Indicators.Count(i => i.Light == "red"), StringComparer.Ordinal);

        var annual = (await store.ListRulesetVersionsAsync()).Single(r => r.RulesetId == "county-annual-2025");
        Assert.Equal((true, Rules.Loading.RulesetSlot.Year, UnitLevel.County), (annual.Active, annual.Slot, annual.Level));
        var year = (await store.GetPublicationAsync(Period.OfYear(2025), UnitLevel.County))!;
        var run = (await store.GetRunAsync(year.RunId))!;
        Assert.Equal((RunStatus.Succeeded, "county-annual-2025", true), (run.Status, run.RulesetId, run.Sample));
        var results = (await store.GetResultsAsync(year.RunId))!;
        Assert.Equal(read.OrderBy(r => r.Period, StringComparer.Ordinal), results.Sources.Select(s => (s.Period.ToString(), s.Run!)).OrderBy(r => r.Item1, StringComparer.Ordinal));

        await using var ledger = new SqliteLedgerStore(db);
        await ledger.InitializeAsync();
        var figures = LedgerOracle.Figures(await ledger.GetTasksAsync(2025), (await ledger.GetHistoriesAsync(2025)).Values.SelectMany(h => h), 2025, new DateOnly(2025, 12, 31));
        var overdue = results.Units.ToDictionary(u => u.Code, u => figures.TryGetValue((u.Code, "ledger_overdue"), out var f) ? f.Actual : 0m, StringComparer.Ordinal);
        Assert.Contains(overdue.Values, n => n > 0);
        Assert.Contains(reds.Values, n => n > 0);

        Assert.Equal(120, results.Units.Length);
        foreach (var u in results.Units)
        {
            var totals = quarters.Select(q => q.Units.FirstOrDefault(x => x.Code == u.Code)?.Total).ToList();
            var present = totals.Where(t => t is not null).Select(t => t!.Value).ToList();
            var routine = R(Math.Clamp(present.Sum() / present.Count * 0.3m, 0, 30));
            var final = totals[3] is { } q4 ? R(Math.Clamp(q4 * 0.7m, 0, 70)) : 0m;
            var penalty = -R(Math.Min(0.2m * reds.GetValueOrDefault(u.Code), 3)) - R(Math.Min(0.5m * overdue[u.Code], 5));
            Assert.Equal((u.Code, R(routine + final + penalty)), (u.Code, u.Total));
            Assert.Equal((u.Code, penalty), (u.Code, u.Penalty));
            // The level-scope quota: 优秀 the first round(120 × 0.2) = 24 of the level, 良好 up to round(120 × 0.7) = 84.
            Assert.Equal(u.LevelRank <= 24 ? "优秀" : u.LevelRank <= 84 ? "良好" : "一般", u.Grade);
        }

        var text = output.ReplaceLineEndings("\n");
        Assert.Contains($"\n2025年度 县（市、区）年度考评：读取公布结果 5 期（2025Q1、2025Q2、2025-09、2025Q3、2025Q4）和任务台账，122 个单位中评价 120 个", text);
        Assert.Contains("\n年度考评规则集 county-annual-2025 第 1 版已启用（county-annual.yaml，cadence: year）\n", text);
        foreach (var cls in new[] { "创先", "进位", "消薄" })
        {
            var members = results.Units.Where(u => u.Class == cls).ToList();
            var heading = $"\n【{cls}】2025年度考评排名（{members.Count} 个单位；等次按全省统一排名）\n";
            Assert.Contains(heading, text);
            var table = text[(text.IndexOf(heading, StringComparison.Ordinal) + heading.Length)..].Split('\n').Skip(1).Take(members.Count).ToList();
            Assert.Equal(members.Select(u => (u.Rank, u.Name, Numbers.Fixed(u.Total, 2), u.Grade)),
                table.Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    .Select(f => (int.Parse(f[0], CultureInfo.InvariantCulture), f[1], f[2], f[3])));
            Assert.Equal(1, members[0].Rank);
        }
    }
}
