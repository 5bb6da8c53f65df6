using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow.Imports;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Tests.Store;

namespace BaiQianWan.Assess.Tests.Hostile;

/// <summary>Issue 14 rows 2, 3, 5, 13, 17 and 18, through the workflow every host uses.</summary>
public sealed class HostileImportTests : IAsyncLifetime
{
    private const string Header = "unit,indicator,period,actual,target,baseline";
    private readonly TempSqlite _file = new();
    private IAssessStore _store = null!;
    private AssessmentService _service = null!;

    public async Task InitializeAsync()
    {
        _store = await _file.OpenAsync();
        _service = new AssessmentService(_store, new TestClock(), null);
        await _service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _file.DisposeAsync();
    }

    private static byte[] ObservationSheet(string dataRows) =>
        RawXlsx.Package(RawXlsx.SheetHead + RawXlsx.Row(1, Header.Split(',')) + dataRows + RawXlsx.SheetTail);

    // ---- row 2: zip bombs ----

    [Fact]
    public async Task An_xlsx_with_one_huge_inline_string_is_refused_as_too_large_at_its_cell_without_holding_it()
    {
        // 64 M characters of 'a' pack into about 64 KB.
        var bomb = RawXlsx.Package(s =>
        {
            s.Write(Encoding.UTF8.GetBytes(RawXlsx.SheetHead + RawXlsx.Row(1, Header.Split(',')) + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>A1</t></is></c><c r=\"B2\" t=\"inlineStr\"><is><t>"));
            RawXlsx.Repeat(s, (byte)'a', 64L << 20);
            s.Write(Encoding.UTF8.GetBytes("</t></is></c></row>" + RawXlsx.SheetTail));
        });
        Assert.True(bomb.Length < 1 << 20);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = await Assert.ThrowsAsync<InputTooLargeException>(() => _service.ImportObservationsAsync(bomb, "bomb.xlsx", "office"));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal($"bomb.xlsx:2:B: 单元格超过 {DataLimits.MaxCellCharacters} 个字符，不予处理", Assert.Single(e.Errors).ToString());
        Assert.True(allocated < 32L << 20, $"allocated {allocated} bytes reading a 64 M character cell");
    }

    [Fact]
    public async Task An_xlsx_whose_sheet_unpacks_past_the_part_bound_is_refused_after_reading_the_bound_only()
    {
        // Whitespace between rows: 300 MiB unpacked from about 300 KB.
        var bomb = RawXlsx.Package(s =>
        {
            s.Write(Encoding.UTF8.GetBytes(RawXlsx.SheetHead + RawXlsx.Row(1, Header.Split(','))));
            RawXlsx.Repeat(s, (byte)' ', 300L << 20);
            s.Write(Encoding.UTF8.GetBytes(RawXlsx.SheetTail));
        });

        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = await Assert.ThrowsAsync<InputTooLargeException>(() => _service.ImportObservationsAsync(bomb, "ws.xlsx", "office"));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        var error = Assert.Single(e.Errors);
        Assert.Equal(("ws.xlsx", 1, true), (error.File, error.Row, error.TooLarge));
        Assert.Contains("xl/worksheets/sheet1.xml 解压后超过 256 MiB", error.Message);
        Assert.True(allocated < 32L << 20, $"allocated {allocated} bytes reading 300 MiB of whitespace");
        Assert.Empty(await _store.ListImportsAsync().ContinueWith(t => t.Result.Where(b => b.Kind == ImportKind.Observations).ToList()));
    }

    [Fact]
    public void Too_many_rows_columns_or_characters_in_a_csv_are_refused_as_too_large_at_their_row()
    {
        var wide = Header + "\n" + string.Join(",", Enumerable.Repeat("x", DataLimits.MaxColumns + 1)) + "\n";
        var table = DataImport.ReadTable(Mini.Bytes(wide), "wide.csv", DataFiles.ObservationColumns);
        var error = Assert.Single(table.Errors);
        Assert.Equal(("wide.csv", 2, true), (error.File, error.Row, error.TooLarge));
        Assert.Contains($"超过 {DataLimits.MaxColumns} 列", error.Message);

        var longCell = Header + "\nA1,fai,2025Q3," + new string('9', DataLimits.MaxCellCharacters + 1) + ",,\n";
        error = Assert.Single(DataImport.ReadTable(Mini.Bytes(longCell), "long.csv", DataFiles.ObservationColumns).Errors);
        Assert.Equal((2, true), (error.Row, error.TooLarge));
        Assert.Contains($"第 4 列超过 {DataLimits.MaxCellCharacters} 个字符", error.Message);

        var huge = new byte[DataLimits.MaxFileBytes + 1];
        error = Assert.Single(DataImport.ReadTable(huge, "huge.csv", DataFiles.ObservationColumns).Errors);
        Assert.True(error.TooLarge);
        Assert.Contains("超过 64 MiB", error.Message);
    }

    // ---- row 3: malformed XML, DTD ----

    [Fact]
    public async Task A_truncated_sheet_is_invalid_input_naming_the_file_the_part_and_the_row_reached()
    {
        var whole = RawXlsx.SheetHead + RawXlsx.Row(1, Header.Split(',')) + RawXlsx.Row(2, "A1", "fai", "2025Q3", "1") + RawXlsx.Row(3, "A2", "fai", "2025Q3", "2");
        var truncated = ObservationSheetRaw(whole[..^30]);

        var e = await Assert.ThrowsAsync<InputRejectedException>(() => _service.ImportObservationsAsync(truncated, "cut.xlsx", "office"));

        Assert.IsNotType<InputTooLargeException>(e);
        var error = Assert.Single(e.Errors);
        Assert.Equal(("cut.xlsx", 3), (error.File, error.Row));
        Assert.Matches(@"^XLSX 文件的 xl/worksheets/sheet1\.xml 第 1 行第 \d+ 列：XML 格式错误（文件被截断或损坏）$", error.Message);
    }

    [Fact]
    public async Task A_sheet_with_a_doctype_is_refused_before_any_entity_is_expanded()
    {
        const string lol = """<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>""";
        var sheet = ObservationSheetRaw(lol + RawXlsx.SheetHead[RawXlsx.SheetHead.IndexOf("<worksheet", StringComparison.Ordinal)..]
            + RawXlsx.Row(1, Header.Split(',')) + RawXlsx.Row(2, "A1", "fai", "2025Q3", "&b;") + RawXlsx.SheetTail);

        var e = await Assert.ThrowsAsync<InputRejectedException>(() => _service.ImportObservationsAsync(sheet, "dtd.xlsx", "office"));

        var error = Assert.Single(e.Errors);
        Assert.Equal(("dtd.xlsx", 1, "-"), (error.File, error.Row, error.Column));
        Assert.Equal("XLSX 文件的 xl/worksheets/sheet1.xml：含有 DTD（DOCTYPE），不予处理", error.Message);
    }

    private static byte[] ObservationSheetRaw(string sheetXml) => RawXlsx.Package(sheetXml);

    [Fact]
    public async Task A_well_formed_xlsx_still_imports_with_its_spreadsheet_row_numbers()
    {
        var ok = ObservationSheet(RawXlsx.Row(2, "A1", "fai", "2025Q3", "1.5") + RawXlsx.Row(5, "A2", "fai", "2025Q3", "x"));
        var e = await Assert.ThrowsAsync<InputRejectedException>(() => _service.ImportObservationsAsync(ok, "ok.xlsx", "office"));
        Assert.Equal("ok.xlsx:5:actual: 'x' 不是数值（小数点用 .，不要千分位和单位）", Assert.Single(e.Errors).ToString());
    }

    // ---- row 13: values that would overflow ----

    [Fact]
    public async Task A_baseline_of_1e_minus_28_is_refused_at_import_with_its_row_and_column()
    {
        var csv = $"{Header}\nA1,fai,2025Q3,60,50,\nA1,rev,2025Q3,40,40,0.0000000000000000000000000001\nA2,fai,2025Q3,1000000000000,50,\n";
        var e = await Assert.ThrowsAsync<InputRejectedException>(() => _service.ImportObservationsAsync(Mini.Bytes(csv), "tiny.csv", "office"));
        Assert.Equal(
        [
            "tiny.csv:3:baseline: '0.0000000000000000000000000001' 超出可计算的范围（绝对值应小于 10 的 12 次方，最多 6 位小数）",
            "tiny.csv:4:actual: '1000000000000' 超出可计算的范围（绝对值应小于 10 的 12 次方，最多 6 位小数）",
        ], e.Errors.Select(x => x.ToString()));
        // Trailing zeros are not places: 1.50000000 is 1.5.
        await _service.ImportObservationsAsync(Mini.Bytes($"{Header}\nA1,fai,2025Q3,1.50000000,999999999999.999999,0.000001\n"), "ok.csv", "office");
    }

    // ---- rows 17 and 5: empty files, hierarchy ----

    [Fact]
    public async Task A_header_only_observations_file_is_refused_at_row_2()
    {
        var e = await Assert.ThrowsAsync<InputRejectedException>(() => _service.ImportObservationsAsync(Mini.Bytes(Header + "\n"), "empty.csv", "office"));
        Assert.Equal("empty.csv:2:-: 文件只有表头，没有数据行", Assert.Single(e.Errors).ToString());
    }

    [Fact]
    public async Task A_header_only_units_file_does_not_empty_the_year_unless_replace_all_confirms_it()
    {
        var header = Mini.Bytes("code,name,level,parent,class\n");
        var e = await Assert.ThrowsAsync<StoreException>(() => _service.ImportUnitsAsync(2025, header, "units.csv", "office"));
        Assert.Equal(StoreError.Conflict, e.Error);
        Assert.Equal("units.csv 没有任何单位，导入后 2025 年将没有单位；确认要清空该年度的单位名单，请明确确认（命令行 --replace-all，API ?replaceAll=true，门户勾选“确认替换整个名单”）", e.Message);
        Assert.Equal(5, (await _store.GetUnitsAsync(2025)).Count);

        await _service.ImportUnitsAsync(2025, header, "units.csv", "office", replaceAll: true);
        Assert.Empty(await _store.GetUnitsAsync(2025));
    }

    [Fact]
    public async Task Units_must_form_a_hierarchy_and_names_must_be_printable()
    {
        const string csv = """
            code,name,level,parent,class
            C1,县一,county,,甲
            C2,县二,county,C1,甲
            T1,镇一,town,C1,中心镇
            T2,镇二,town,T1,中心镇
            T3,镇三,town,T4,中心镇
            T4,镇四,town,T3,中心镇
            T5,镇五,town,X9,中心镇
            V1,村一,village,C1,x
            N1,有NUL的名字\u0000,county,,甲
            """;
        var e = await Assert.ThrowsAsync<InputRejectedException>(() =>
            _service.ImportUnitsAsync(2026, Mini.Bytes(csv.Replace("\\u0000", "\0")), "units.csv", "office"));
        Assert.Equal(
        [
            "units.csv:3:parent: 县级单位的上级应为地级市（不是考核单位）或留空，这里的 'C1' 是本名单中的县（市、区）",
            "units.csv:5:parent: 乡镇的上级应为县级单位，'T1' 是乡镇（街道）",
            // A cycle T3 → T4 → T3 breaks the level rule twice.
            "units.csv:6:parent: 乡镇的上级应为县级单位，'T4' 是乡镇（街道）",
            "units.csv:7:parent: 乡镇的上级应为县级单位，'T3' 是乡镇（街道）",
            "units.csv:8:parent: 乡镇的上级应为本名单中的县级单位，名单中没有 'X9'",
            "units.csv:9:parent: 行政村的上级应为乡镇，'C1' 是县（市、区）",
            "units.csv:10:name: 单位名称 '有NUL的名字\\u0000' 含有控制字符或超过 200 个字符",
        ], e.Errors.Select(x => x.ToString()));
        Assert.Empty(await _store.GetUnitsAsync(2026));
    }

    [Fact]
    public async Task Removing_units_that_a_stored_run_evaluated_needs_replace_all_and_says_which()
    {
        await _service.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
        await _service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author");
        await _service.ActivateRulesetAsync("mini", 1, "chief");
        var run = await _service.RunAsync(Mini.Q3, UnitLevel.County, "mini", null, "office");
        Assert.Equal(RunStatus.Succeeded, run.Status);
        var withoutB2AndT1 = Mini.UnitsCsv.Replace("B2,乙二县,county,,乙\n", "").Replace("T1,某镇,town,A1,中心镇\n", "");

        var e = await Assert.ThrowsAsync<StoreException>(() => _service.ImportUnitsAsync(2025, Mini.Bytes(withoutB2AndT1), "units.csv", "office"));

        // T1 (a town) was in no run, so dropping it alone would be allowed; B2 was scored by the run.
        Assert.Equal(StoreError.Conflict, e.Error);
        Assert.Equal($"units.csv 会删除 2025 年已有评价运行（{run.Id}）用到的 1 个单位：B2；确认要替换整个名单，请明确确认（命令行 --replace-all，API ?replaceAll=true，门户勾选“确认替换整个名单”）", e.Message);
        Assert.Equal(5, (await _store.GetUnitsAsync(2025)).Count);
        await _service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv.Replace("T1,某镇,town,A1,中心镇\n", "")), "units.csv", "office");
        Assert.Equal(4, (await _store.GetUnitsAsync(2025)).Count);

        await _service.ImportUnitsAsync(2025, Mini.Bytes(withoutB2AndT1), "units2.csv", "office", replaceAll: true);
        Assert.Equal(["A1", "A2", "B1"], (await _store.GetUnitsAsync(2025)).Select(u => u.Code));
    }

    // ---- row 18: a bad byte at its real row ----

    [Fact]
    public async Task A_bad_utf8_byte_on_row_3_is_reported_at_row_3_in_its_column()
    {
        var bytes = Mini.Bytes($"{Header}\nA1,fai,2025Q3,60,50,\nA2,fai,2025Q3,").Concat(new byte[] { 0xFF }).Concat(Mini.Bytes("1,50,\n")).ToArray();
        var e = await Assert.ThrowsAsync<InputRejectedException>(() => _service.ImportObservationsAsync(bytes, "bad.csv", "office"));
        Assert.Equal("bad.csv:3:actual: 不是 UTF-8 编码（第 4 列有字节 0xFF；请另存为 UTF-8 的 CSV，或使用 XLSX）", Assert.Single(e.Errors).ToString());
    }

    [Fact]
    public void A_bad_byte_after_a_quoted_line_break_counts_records_not_lines()
    {
        var bytes = Mini.Bytes("code,name,level,parent,class\nA1,\"甲\n一县\",county,,甲\nA2,").Concat(new byte[] { 0xC3, 0x28 }).ToArray();
        Assert.Null(DataText.Decode(bytes, "u.csv", out var error));
        Assert.Equal("u.csv:3:name: 不是 UTF-8 编码（第 2 列有字节 0xC3；请另存为 UTF-8 的 CSV，或使用 XLSX）", error!.ToString());
    }
}
