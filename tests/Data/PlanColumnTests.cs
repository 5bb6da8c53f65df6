using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Tests.Hostile;
using BaiQianWan.Assess.Workflow.Imports;

namespace BaiQianWan.Assess.Tests.Data;

/// <summary>Month periods and the optional <c>plan</c> column of observations (monitor contract §1).</summary>
public class PlanColumnTests
{
    private static readonly HashSet<string> Codes = ["A", "B"];

    [Fact]
    public void Reads_month_rows_with_plans_as_exact_decimals_and_an_empty_plan_as_none()
    {
        var csv = "unit,indicator,period,actual,target,baseline,plan\nA,fai,2025-06,48,80,45,40.10\nA,fai,2025-05,39.5,80,,\nB,fai,2025Q2,1,2,,\n";
        var result = DataFiles.ReadObservations(csv, "O.csv", Codes);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(new Observation("A", "fai", Period.OfMonth(2025, 6), 48m, 80m, 45m, 40.10m), result.Rows[0]);
        Assert.Equal("40.10", result.Rows[0].Plan!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(result.Rows[1].Plan);
        Assert.Equal(Period.OfQuarter(2025, 2), result.Rows[2].Period);
    }

    [Fact]
    public void A_file_without_the_plan_column_is_valid_and_has_no_plans()
    {
        var csv = "unit,indicator,period,actual,target,baseline\nA,fai,2025-01,4,80,\n";
        var result = DataFiles.ReadObservations(csv, "O.csv", Codes);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Null(Assert.Single(result.Rows).Plan);
    }

    [Fact]
    public void Bad_months_and_a_non_numeric_plan_are_positioned_bad_rows_and_nothing_is_read()
    {
        var csv = "unit,indicator,period,actual,target,baseline,plan\n" +
                  "A,fai,2025-13,48,80,,\n" +
                  "A,fai,2025-6,48,80,,\n" +
                  "A,fai,2025-06,48,80,,四十\n" +
                  "B,fai,2025-00,1,2,,1,5\n";
        var result = DataFiles.ReadObservations(csv, "O.csv", Codes);
        Assert.Empty(result.Rows);
        Assert.Equal(
        [
            "O.csv:2:period: 期间应为 YYYY-MM、YYYYQn 或 YYYY，这里是 '2025-13'",
            "O.csv:3:period: 期间应为 YYYY-MM、YYYYQn 或 YYYY，这里是 '2025-6'",
            "O.csv:4:plan: '四十' 不是数值（小数点用 .，不要千分位和单位）",
            "O.csv:5:-: 这一行有 8 列，表头有 7 列",
            "O.csv:5:period: 期间应为 YYYY-MM、YYYYQn 或 YYYY，这里是 '2025-00'",
        ], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void The_plan_column_is_not_required_twice_or_misspelt()
    {
        var dup = DataFiles.ReadObservations("unit,indicator,period,actual,target,baseline,plan,plan\n", "O.csv", Codes);
        Assert.Equal("O.csv:1:plan: 列 'plan' 重复", Assert.Single(dup.Errors).ToString());
        var typo = DataFiles.ReadObservations("unit,indicator,period,actual,target,baseline,plans\n", "O.csv", Codes);
        Assert.Equal("O.csv:1:plans: 未知的列 'plans'（应为 unit,indicator,period,actual,target,baseline，可选 plan）", Assert.Single(typo.Errors).ToString());
    }

    [Fact]
    public void Xlsx_imports_read_the_plan_column_with_the_same_rules()
    {
        var units = new Dictionary<int, IReadOnlySet<string>> { [2025] = new HashSet<string> { "A1" } };
        var ok = DataImport.ReadTable(RawXlsx.Package(RawXlsx.SheetHead + RawXlsx.Row(1, [.. DataFiles.ObservationColumns, "plan"])
            + RawXlsx.Row(2, "A1", "fai", "2025-06", "60", "80", "", "45.5") + RawXlsx.SheetTail), "ok.xlsx", DataFiles.ObservationColumns);
        var read = DataImport.ReadObservations(ok, units);
        Assert.True(read.IsValid, string.Join("; ", read.Errors));
        Assert.Equal(45.5m, Assert.Single(read.Rows).Plan);

        var bad = DataImport.ReadTable(RawXlsx.Package(RawXlsx.SheetHead + RawXlsx.Row(1, [.. DataFiles.ObservationColumns, "plan"])
            + RawXlsx.Row(2, "A1", "fai", "2025-06", "60", "80", "", "n/a") + RawXlsx.Row(3, "A1", "fai", "2025-13", "60", "80", "", "") + RawXlsx.SheetTail),
            "bad.xlsx", DataFiles.ObservationColumns);
        Assert.Equal(
        [
            "bad.xlsx:2:plan: 'n/a' 不是数值（小数点用 .，不要千分位和单位）",
            "bad.xlsx:3:period: 期间应为 YYYY-MM、YYYYQn 或 YYYY，这里是 '2025-13'",
        ], DataImport.ReadObservations(bad, units).Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Scoring_ignores_the_plan_column_and_its_data_hash_is_unchanged()
    {
        var units = DataFiles.ReadUnits("code,name,level,parent,class\nA,甲县,county,,创先\n", "u.csv").Rows;
        var with = DataFiles.ReadObservations("unit,indicator,period,actual,target,baseline,plan\nA,fai,2025Q2,48,80,45,40\n", "O.csv", Codes).Rows;
        var without = DataFiles.ReadObservations("unit,indicator,period,actual,target,baseline\nA,fai,2025Q2,48,80,45\n", "O.csv", Codes).Rows;
        Assert.Equal(
            Rules.Evaluation.DataHash.Compute(new Dataset(units, without), UnitLevel.County, Period.OfQuarter(2025, 2)),
            Rules.Evaluation.DataHash.Compute(new Dataset(units, with), UnitLevel.County, Period.OfQuarter(2025, 2)));
    }
}
