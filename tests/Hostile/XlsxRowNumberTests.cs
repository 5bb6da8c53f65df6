using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Workflow.Imports;

namespace BaiQianWan.Assess.Tests.Hostile;

/// <summary>
/// Issue 19 item 6: a sheet row numbered past the int range (<c>r="2147483647"</c>, then a row without a number)
/// was reported at a negative row. A row's number is the spreadsheet's own, 1 to 1,048,576, going down the sheet;
/// anything else is refused with a positioned error, and rows up to the last are named exactly.
/// </summary>
public sealed class XlsxRowNumberTests
{
    private static readonly Dictionary<int, IReadOnlySet<string>> Units = new() { [2025] = new HashSet<string> { "A1" } };

    private static string Header => RawXlsx.Row(1, [.. DataFiles.ObservationColumns]);

    private static IReadOnlyList<string> Errors(string rows)
    {
        var bytes = RawXlsx.Package(RawXlsx.SheetHead + Header + rows + RawXlsx.SheetTail);
        return [.. DataImport.ReadObservations(DataImport.ReadTable(bytes, "x.xlsx", DataFiles.ObservationColumns), Units).Errors.Select(e => e.ToString())];
    }

    /// <summary>A row without its <c>r</c> attribute (its cells without references either).</summary>
    private static string Unnumbered(params string[] cells) =>
        "<row>" + string.Concat(cells.Select(c => $"<c t=\"inlineStr\"><is><t>{c}</t></is></c>")) + "</row>";

    private static string Numbered(string r, params string[] cells) =>
        $"<row r=\"{r}\">" + string.Concat(cells.Select(c => $"<c t=\"inlineStr\"><is><t>{c}</t></is></c>")) + "</row>";

    [Fact]
    public void The_last_row_of_a_sheet_is_named_exactly()
    {
        Assert.Equal(["x.xlsx:1048576:actual: 'abc' 不是数值（小数点用 .，不要千分位和单位）"],
            Errors(Numbered("1048576", "A1", "fai", "2025Q3", "abc", "", "")));
    }

    [Fact]
    public void A_row_after_the_last_row_is_refused_at_the_last_row_not_at_a_negative_one()
    {
        Assert.Equal(["x.xlsx:1048576:-: 工作表的行超过第 1048576 行（电子表格的最后一行），不予处理"],
            Errors(Numbered("1048576", "A1", "fai", "2025Q3", "1", "", "") + Unnumbered("A1", "fai", "2025Q4", "1", "", "")));
    }

    [Theory]
    [InlineData("2147483647")]
    [InlineData("2147483648")]
    [InlineData("99999999999999999999")]
    [InlineData("1048577")]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("2x")]
    public void A_row_number_beyond_a_sheet_is_refused_where_the_reader_was(string r)
    {
        // Before, 2147483647 followed by an unnumbered row put that row at -2147483648.
        Assert.Equal([$"x.xlsx:3:-: 行号 '{r}' 不合规（应为 1–1048576 的整数）"],
            Errors(Numbered("2", "A1", "fai", "2025Q3", "1", "", "") + Numbered(r, "A1", "fai", "2025Q3", "1", "", "") + Unnumbered("A1", "fai", "2025Q4", "x", "", "")));
    }

    [Fact]
    public void A_row_numbered_above_the_one_before_is_refused()
    {
        Assert.Equal(["x.xlsx:6:-: 行号 3 不在上一行（第 5 行）之后，工作表的行应自上而下排列"],
            Errors(Numbered("5", "A1", "fai", "2025Q3", "1", "", "") + Numbered("3", "A1", "fai", "2025Q4", "1", "", "")));
    }
}
