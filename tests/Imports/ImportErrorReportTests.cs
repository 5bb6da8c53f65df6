using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Tests.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Imports;

namespace BaiQianWan.Assess.Tests.Imports;

/// <summary>
/// Issue 22 item 4: a huge refusal is bounded (the first 200 errors with the total), grouped by kind (one line a kind, with its
/// count and first rows), and its full list is a CSV; the file's errors come from the real import checks.
/// </summary>
public sealed class ImportErrorReportTests
{
    /// <summary>
    /// A four-quarter file uploaded for 2025Q3: 3 × 250 rows of other periods, and among them two rows with a bad number and one
    /// with an unknown unit. Rows: header 1, then Q1 rows 2–251, Q2 252–501, Q3 502–751, Q4 752–1001.
    /// </summary>
    private static string FourQuarters()
    {
        var text = new StringBuilder("unit,indicator,period,actual,target,baseline\n");
        foreach (var q in new[] { 1, 2, 3, 4 })
            for (var i = 0; i < 250; i++)
            {
                var row = 2 + (q - 1) * 250 + i;
                var unit = row == 600 ? "ZZ9" : "A1";
                var actual = row is 700 or 710 ? "abc" : "1";
                text.Append($"{unit},i{i:000},2025Q{q},{actual},,\n");
            }
        return text.ToString();
    }

    private static async Task<InputRejectedException> RefuseAsync(string csv, Period period)
    {
        await using var file = new TempSqlite();
        await using var store = await file.OpenAsync();
        var service = new AssessmentService(store, TimeProvider.System, new TestRenderer());
        await service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        return await Assert.ThrowsAsync<InputRejectedException>(() => service.ImportObservationsAsync(Encoding.UTF8.GetBytes(csv), "year.csv", "office", period));
    }

    [Fact]
    public async Task A_huge_refusal_is_the_total_one_line_per_kind_and_at_most_200_errors_with_every_kind_among_them()
    {
        var rejected = await RefuseAsync(FourQuarters(), Mini.Q3);

        var report = ImportErrorReport.Of(rejected);

        // 750 rows of another period, 1 unknown unit (row 600, a Q3 row), 2 bad numbers (rows 700 and 710, Q3 rows).
        Assert.Equal(753, report.Total);
        Assert.Equal(753, rejected.Errors.Count);
        Assert.Equal(
            ["750 行的期间不是 2025Q3", "1 行的单位不在单位名单中", "2 处同类错误（actual 列），如第 700 行：'abc' 不是数值（小数点用 .，不要千分位和单位）"],
            report.Kinds.Select(k => k.Summary));
        Assert.Equal([750, 1, 2], report.Kinds.Select(k => k.Count));
        Assert.Equal([2, 3, 4, 5, 6], report.Kinds[0].First.Select(e => e.Row));
        Assert.Equal([ImportErrorKindCode.OtherPeriod, ImportErrorKindCode.UnknownUnit, ImportErrorKindCode.Other], report.Kinds.Select(k => k.Code));
        Assert.False(report.OnlyOtherPeriods);

        Assert.True(report.Truncated);
        Assert.Equal(200, report.Shown.Count);
        // Each kind's first rows are among those shown, in file order; the rest are the next errors of the file.
        var rows = report.Shown.Select(e => e.Row).ToList();
        Assert.Equal(rows.Order().ToList(), rows);
        Assert.Contains(600, rows);
        Assert.Contains(700, rows);
        Assert.Contains(710, rows);
        Assert.Equal(Enumerable.Range(2, 197).ToList(), rows.Take(197).ToList());
    }

    [Fact]
    public async Task A_file_refused_only_for_its_periods_says_so_and_a_small_refusal_lists_everything()
    {
        var csv = "unit,indicator,period,actual,target,baseline\nA1,fai,2025Q2,1,,\nA1,fai,2025Q3,1,,\nA2,fai,2025Q4,1,,\n";
        var report = ImportErrorReport.Of(await RefuseAsync(csv, Mini.Q3));

        Assert.True(report.OnlyOtherPeriods);
        Assert.False(report.Truncated);
        Assert.Equal(2, report.Total);
        Assert.Equal("2 行的期间不是 2025Q3", Assert.Single(report.Kinds).Summary);
        Assert.Equal(["year.csv:2:period: 期间 2025Q2 不是本次导入的期间 2025Q3", "year.csv:4:period: 期间 2025Q4 不是本次导入的期间 2025Q3"],
            report.Shown.Select(e => e.ToString()));
    }

    [Fact]
    public void Many_kinds_each_keep_their_first_rows_within_the_bound()
    {
        // 60 kinds (a message per column name) of 10 errors each: 60 × 5 first rows would pass 200, so the bound wins.
        var errors = Enumerable.Range(0, 600).Select(i => new InputError("f.csv", 2 + i, $"c{i % 60}", "坏")).ToList();

        var report = ImportErrorReport.Of("f.csv", errors);

        Assert.Equal(60, report.Kinds.Count);
        Assert.All(report.Kinds, k => Assert.Equal(10, k.Count));
        Assert.Equal(200, report.Shown.Count);
        // Kinds in the order they first appear: the first 40 kinds' first five rows fill the bound.
        Assert.Equal(Enumerable.Range(0, 600).Where(i => i % 60 < 40 && i / 60 < 5).Select(i => 2 + i), report.Shown.Select(e => e.Row));
    }

    [Fact]
    public void The_csv_holds_every_error_quoted_and_safe_from_spreadsheet_formulas()
    {
        var errors = new[]
        {
            new InputError("a.csv", 2, "actual", "'1,5' 不是数值"),
            new InputError("=cmd.csv", 3, "-", "bad \"7\" cols"),
            new InputError("a.csv", 4, "unit", "@x"),
        };

        var csv = ImportErrorReport.Csv(errors);

        Assert.Equal(Encoding.UTF8.GetPreamble(), csv[..3]);
        Assert.Equal(
            "文件,行,列,原因\r\na.csv,2,actual,\"'1,5' 不是数值\"\r\n'=cmd.csv,3,-,\"bad \"\"7\"\" cols\"\r\na.csv,4,unit,'@x\r\n",
            Encoding.UTF8.GetString(csv[3..]));
    }

    [Fact]
    public async Task A_file_of_several_periods_previews_its_rows_units_and_indicators_per_period_and_writes_nothing()
    {
        await using var file = new TempSqlite();
        await using var store = await file.OpenAsync();
        var service = new AssessmentService(store, TimeProvider.System, new TestRenderer());
        await service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await service.ImportObservationsAsync(Mini.Bytes("unit,indicator,period,actual,target,baseline\nA1,fai,2025Q2,1,,\n"), "one.csv", "office");
        var content = Mini.Bytes(Mini.ObservationsCsv);

        var preview = await service.Imports.PreviewObservationsAsync(content, "obs.csv");

        Assert.Equal(17, preview.Rows);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)), preview.Sha256);
        // Q2: 9 rows of 4 units (A1 has fai, rev, honor), indicators fai, honor, rev; 1 row stored before. Q3: 8 rows, 4 units, none stored.
        Assert.Equal([(Mini.Q2, 9, 4, "fai,honor,rev", 1), (Mini.Q3, 8, 4, "fai,rev", 0)],
            preview.Periods.Select(p => (p.Period, p.Rows, p.Units, string.Join(",", p.Indicators), p.StoredRows)));
        Assert.Single(await store.GetObservationsAsync(Mini.Q2));
        Assert.Empty(await store.GetObservationsAsync(Mini.Q3));
        Assert.Single(await store.ListImportsAsync(), i => i.Kind == BaiQianWan.Assess.Store.ImportKind.Observations);

        // The errors of a refusal, again, for its CSV: all of them, nothing written.
        var errors = await service.Imports.ErrorsAsync(BaiQianWan.Assess.Store.ImportKind.Observations, content, "obs.csv", Mini.Q3);
        Assert.Equal(9, errors.Count);
        Assert.All(errors, e => Assert.Equal("period", e.Column));
        Assert.Empty(await service.Imports.ErrorsAsync(BaiQianWan.Assess.Store.ImportKind.Observations, content, "obs.csv", null));
        Assert.Equal(2, (await service.Imports.ErrorsAsync(BaiQianWan.Assess.Store.ImportKind.Units,
            Mini.Bytes("code,name,level,parent,class\nX1,甲,province,,甲\nX1,乙,county,,甲\n"), "u.csv", null)).Count);
        Assert.Empty(await store.GetObservationsAsync(Mini.Q3));
    }
}
