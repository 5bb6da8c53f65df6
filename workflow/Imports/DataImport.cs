using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Workflow.Imports;

/// <summary>
/// Reads units and observations files (spec §1) from CSV or XLSX bytes. Splitting the file into rows is done
/// here; checking each row is the engine's (<see cref="DataFiles"/>), so both formats obey the same rules.
/// All-or-nothing: any bad row rejects the file, and every bad row is reported as <c>FILE:ROW:COLUMN: reason</c>.
/// </summary>
public static class DataImport
{
    /// <summary>True when the bytes are an XLSX (zip) file or the name says so.</summary>
    public static bool IsXlsx(byte[] content, string fileName) =>
        (content.Length >= 4 && content[0] == 0x50 && content[1] == 0x4B && content[2] == 0x03 && content[3] == 0x04)
        || fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase);

    /// <summary>Splits a file into rows of the given columns, checking the header; columns named <c>#…</c> are notes and ignored.</summary>
    public static DataTable ReadTable(byte[] content, string fileName, ImmutableArray<string> columns)
    {
        ArgumentNullException.ThrowIfNull(content);
        var errors = new List<DataError>();
        List<(int Row, string[] Fields)> records;
        if (IsXlsx(content, fileName))
        {
            try
            {
                records = XlsxCells.Read(content, fileName);
            }
            catch (XlsxRejectedException e)
            {
                return Rejected(fileName, e.Error);
            }
        }
        else
        {
            if (DataText.Decode(content, fileName, out var decodeError) is not { } text) return Rejected(fileName, decodeError!);
            records = [.. CsvRecords.Read(text, (row, message, tooLarge) => errors.Add(new DataError(fileName, row, "-", message, tooLarge)))];
        }
        if (records.Count == 0)
        {
            errors.Add(new DataError(fileName, 1, "-", "文件为空，缺少表头"));
            return new DataTable(fileName, [], [.. errors]);
        }

        var rows = DataFiles.Table(records, records[0].Row, fileName, columns, new TableRules(NoteColumns: true, ShortRows: IsXlsx(content, fileName)), errors);
        return new DataTable(fileName, rows, [.. errors]);
    }

    /// <summary>
    /// Reads a units file (CSV or XLSX). The table's problems (a row of the wrong width) do not stop the row checks:
    /// every bad row is reported at once (a file the table could not be read from has no rows to check).
    /// </summary>
    public static DataFileResult<Unit> ReadUnits(byte[] content, string fileName)
    {
        var table = ReadTable(content, fileName, DataFiles.UnitColumns);
        return DataFiles.ReadUnits(table.Rows, fileName, [.. table.Errors]);
    }

    /// <summary>The years of the periods named in an observations table (rows with a bad period are left out).</summary>
    public static IReadOnlySet<int> YearsOf(DataTable table) =>
        table.Rows.Select(r => Period.TryParse(r.Cells["period"], out var p) ? p.Year : 0).Where(y => y > 0).ToHashSet();

    /// <summary>
    /// Checks an observations table: the engine's row rules, with units checked against the units of each row's
    /// period's year (<paramref name="unitsByYear"/>; a year not in it has no units), and with
    /// <paramref name="onlyPeriod"/> every row's period against it. Every check runs on every row and every problem
    /// is reported at once, the table's own (a row of the wrong width) included.
    /// </summary>
    /// <param name="table">The table read from the file.</param>
    /// <param name="unitsByYear">The units of each year.</param>
    /// <param name="onlyPeriod">The one period every row must have, or null.</param>
    /// <param name="yearDerived">(annual §2) The ids active year rulesets derive from the year's publications, each with what
    /// derives it: a row of a year (<c>YYYY</c>) carrying one is refused at its indicator cell. Null or empty: none.</param>
    public static DataFileResult<Observation> ReadObservations(DataTable table, IReadOnlyDictionary<int, IReadOnlySet<string>> unitsByYear,
        Period? onlyPeriod = null, IReadOnlyDictionary<string, string>? yearDerived = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(unitsByYear);
        var all = unitsByYear.Values.SelectMany(s => s).ToHashSet(StringComparer.Ordinal);
        var errors = new List<DataError>(table.Errors);
        // The engine knows one set of units; a unit known only in another year is named here.
        foreach (var (row, cells) in table.Rows)
        {
            var unit = cells["unit"];
            if (unit.Length == 0 || !all.Contains(unit) || !Period.TryParse(cells["period"], out var period)) continue;
            if (!unitsByYear.TryGetValue(period.Year, out var codes) || !codes.Contains(unit))
                errors.Add(new DataError(table.FileName, row, "unit", $"单位 '{unit}' 不在 {period.Year} 年的单位名单中"));
        }
        if (yearDerived is { Count: > 0 })
            foreach (var (row, cells) in table.Rows)
                if (Period.TryParse(cells["period"], out var period) && period.IsWholeYear && yearDerived.TryGetValue(cells["indicator"], out var by))
                    errors.Add(new DataError(table.FileName, row, "indicator",
                        $"指标 '{cells["indicator"]}' 由年度考评规则集 {by} 推算（{period} 年度，运行时从当年公布的季度、月度结果推算），不能上传（请从文件中删去这一行）"));
        return DataFiles.ReadObservations(table.Rows, table.FileName, all, errors, onlyPeriod);
    }

    private static DataTable Rejected(string fileName, DataError error) => new(fileName, [], [error]);
}
