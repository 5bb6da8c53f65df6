using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Tests.Data;

public class DataFilesTests
{
    private const string Units = "code,name,level,parent,class\nA,甲县,county,,创先\nB,乙镇,town,A,中心镇\n";
    private static readonly HashSet<string> Codes = ["A", "B"];

    [Fact]
    public void Reads_units_with_optional_parent()
    {
        var result = DataFiles.ReadUnits(Units, "u.csv");
        Assert.True(result.IsValid);
        Assert.Equal(new Unit("B", "乙镇", UnitLevel.Town, "A", "中心镇"), result.Rows[1]);
        Assert.Null(result.Rows[0].Parent);
    }

    [Fact]
    public void Reads_quoted_fields_crlf_and_a_bom()
    {
        var csv = "\uFEFFcode,name,level,parent,class\r\nA,\"甲县,\"\"新\"\"\",county,,创先\r\n";
        var result = DataFiles.ReadUnits(csv, "u.csv");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal("甲县,\"新\"", result.Rows[0].Name);
    }

    [Fact]
    public void Every_bad_row_is_reported_with_row_column_and_reason_and_nothing_is_read()
    {
        var csv = """
            unit,indicator,period,actual,target,baseline
            A,fai,2025Q3,48,50,
            Z,fai,2025Q3,1,,
            A,fai,2025Q5,1,,
            A,gdp,2025Q3,1 000,,
            A,fai,2025Q3,49,50,
            B,fai,2025Q3,,abc,
            """;
        var result = DataFiles.ReadObservations(csv, "O.csv", Codes);
        Assert.False(result.IsValid);
        Assert.Empty(result.Rows);
        Assert.Equal(
        [
            "O.csv:3:unit: 未知的单位 'Z'",
            "O.csv:4:period: 期间应为 YYYY-MM、YYYYQn 或 YYYY，这里是 '2025Q5'",
            "O.csv:5:actual: '1 000' 不是数值（小数点用 .，不要千分位和单位）",
            "O.csv:6:indicator: 重复的数据：单位 'A'、指标 'fai'、期间 2025Q3 已在前面出现",
            "O.csv:7:actual: 必填的数值为空",
            "O.csv:7:target: 'abc' 不是数值（小数点用 .，不要千分位和单位）",
        ], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Rows_of_every_period_are_checked()
    {
        var csv = "unit,indicator,period,actual,target,baseline\nA,fai,2024Q4,x,,\n";
        Assert.Equal("O.csv:2:actual: 'x' 不是数值（小数点用 .，不要千分位和单位）",
            Assert.Single(DataFiles.ReadObservations(csv, "O.csv", Codes).Errors).ToString());
    }

    [Fact]
    public void Header_problems_are_row_one()
    {
        var result = DataFiles.ReadUnits("code,name,lvl,parent,class\n", "u.csv");
        Assert.Equal(["u.csv:1:lvl: 未知的列 'lvl'（应为 code,name,level,parent,class）", "u.csv:1:level: 缺少列 'level'"],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Bad_unit_rows_name_the_column()
    {
        var csv = "code,name,level,parent,class\nA,甲,county,,创先\nA,乙,province,,创先\n中文,丙,town,,x\n";
        Assert.Equal(
        [
            "u.csv:3:code: 单位代码 'A' 重复",
            "u.csv:3:level: 层级应为 city、county、town 或 village，这里是 'province'",
            "u.csv:4:code: 单位代码 '中文' 不合规（只能是 1–32 位字母、数字、_ 或 -）",
        ], DataFiles.ReadUnits(csv, "u.csv").Errors.Select(e => e.ToString()));
    }
}
