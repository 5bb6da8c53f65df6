using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace BaiQianWan.Assess.Rules.Data;

/// <summary>
/// Reads <c>units.csv</c> and <c>observations.csv</c> (spec §1). All-or-nothing: any bad row rejects the
/// file, and every bad row is reported with its row, column and reason.
/// </summary>
public static partial class DataFiles
{
    /// <summary>The columns of a units file.</summary>
    public static readonly ImmutableArray<string> UnitColumns = ["code", "name", "level", "parent", "class"];

    /// <summary>The columns of an observations file.</summary>
    public static readonly ImmutableArray<string> ObservationColumns = ["unit", "indicator", "period", "actual", "target", "baseline"];

    /// <summary>Reads units from CSV text.</summary>
    public static DataFileResult<Unit> ReadUnits(string csv, string fileName) => ReadUnits(Rows(csv, fileName, UnitColumns, out var errors), fileName, errors);

    /// <summary>Reads units from rows already split into named cells (CSV or XLSX).</summary>
    public static DataFileResult<Unit> ReadUnits(IEnumerable<(int Row, IReadOnlyDictionary<string, string> Cells)> rows, string fileName, List<DataError>? errors = null)
    {
        errors ??= [];
        var units = ImmutableArray.CreateBuilder<Unit>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (row, cells) in rows)
        {
            var before = errors.Count;
            void Bad(string column, string message) => errors.Add(new DataError(fileName, row, column, message));
            var code = cells["code"];
            if (!CodePattern().IsMatch(code)) Bad("code", code.Length == 0 ? "单位代码不能为空" : $"单位代码 '{code}' 不合规（只能是 1–32 位字母、数字、_ 或 -）");
            else if (!seen.Add(code)) Bad("code", $"单位代码 '{code}' 重复");
            var name = cells["name"];
            if (name.Length == 0) Bad("name", "单位名称不能为空");
            if (!UnitLevels.TryParse(cells["level"], out var level)) Bad("level", $"层级应为 county、town 或 village，这里是 '{cells["level"]}'");
            var parent = cells["parent"];
            if (parent.Length > 0 && !CodePattern().IsMatch(parent)) Bad("parent", $"上级代码 '{parent}' 不合规");
            if (errors.Count == before)
                units.Add(new Unit(code, name, level, parent.Length == 0 ? null : parent, cells["class"]));
        }
        return Result(units, errors);
    }

    /// <summary>Reads observations from CSV text, checking units against <paramref name="unitCodes"/>.</summary>
    public static DataFileResult<Observation> ReadObservations(string csv, string fileName, IReadOnlySet<string> unitCodes) =>
        ReadObservations(Rows(csv, fileName, ObservationColumns, out var errors), fileName, unitCodes, errors);

    /// <summary>Reads observations from rows already split into named cells (CSV or XLSX).</summary>
    public static DataFileResult<Observation> ReadObservations(IEnumerable<(int Row, IReadOnlyDictionary<string, string> Cells)> rows,
        string fileName, IReadOnlySet<string> unitCodes, List<DataError>? errors = null)
    {
        errors ??= [];
        var observations = ImmutableArray.CreateBuilder<Observation>();
        var seen = new HashSet<(string, string, Period)>();
        foreach (var (row, cells) in rows)
        {
            var before = errors.Count;
            void Bad(string column, string message) => errors.Add(new DataError(fileName, row, column, message));
            var unit = cells["unit"];
            if (unit.Length == 0) Bad("unit", "单位代码不能为空");
            else if (!unitCodes.Contains(unit)) Bad("unit", $"未知的单位 '{unit}'");
            var indicator = cells["indicator"];
            if (indicator.Length == 0) Bad("indicator", "指标 id 不能为空");
            var periodOk = Period.TryParse(cells["period"], out var period);
            if (!periodOk) Bad("period", $"期间应为 YYYYQn 或 YYYY，这里是 '{cells["period"]}'");
            var actual = Number(cells["actual"], "actual", required: true, Bad);
            var target = Number(cells["target"], "target", required: false, Bad);
            var baseline = Number(cells["baseline"], "baseline", required: false, Bad);
            if (periodOk && unit.Length > 0 && indicator.Length > 0 && !seen.Add((unit, indicator, period)))
                Bad("indicator", $"重复的数据：单位 {unit}、指标 {indicator}、期间 {period} 已在前面出现");
            if (errors.Count == before)
                observations.Add(new Observation(unit, indicator, period, actual!.Value, target, baseline));
        }
        return Result(observations, errors);
    }

    private static decimal? Number(string text, string column, bool required, Action<string, string> bad)
    {
        if (text.Length == 0)
        {
            if (required) bad(column, "必填的数值为空");
            return null;
        }
        if (NumberPattern().IsMatch(text) && decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture, out var value))
            return value;
        bad(column, $"'{text}' 不是数值（小数点用 .，不要千分位和单位）");
        return null;
    }

    /// <summary>Splits CSV into rows of named cells, checking the header; header problems are errors at row 1.</summary>
    private static IEnumerable<(int Row, IReadOnlyDictionary<string, string> Cells)> Rows(string csv, string fileName,
        ImmutableArray<string> columns, out List<DataError> errors)
    {
        var list = new List<DataError>();
        errors = list;
        var records = CsvRecords.Read(csv, (row, message) => list.Add(new DataError(fileName, row, "-", message))).ToList();
        if (records.Count == 0)
        {
            list.Add(new DataError(fileName, 1, "-", "文件为空，缺少表头"));
            return [];
        }
        var header = records[0].Fields.Select(h => h.Trim()).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < header.Length; c++)
        {
            if (!columns.Contains(header[c])) list.Add(new DataError(fileName, 1, header[c], $"未知的列 '{header[c]}'（应为 {string.Join(",", columns)}）"));
            else if (!index.TryAdd(header[c], c)) list.Add(new DataError(fileName, 1, header[c], $"列 '{header[c]}' 重复"));
        }
        foreach (var c in columns)
            if (!index.ContainsKey(c)) list.Add(new DataError(fileName, 1, c, $"缺少列 '{c}'"));
        if (list.Count > 0) return [];
        return records.Skip(1).Select(r =>
        {
            if (r.Fields.Length != header.Length)
                list.Add(new DataError(fileName, r.Row, "-", $"这一行有 {r.Fields.Length} 列，表头有 {header.Length} 列"));
            var cells = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var c in columns)
                cells[c] = index[c] < r.Fields.Length ? r.Fields[index[c]].Trim() : "";
            return (r.Row, (IReadOnlyDictionary<string, string>)cells);
        }).ToList();
    }

    private static DataFileResult<T> Result<T>(ImmutableArray<T>.Builder rows, List<DataError> errors) => errors.Count == 0
        ? new DataFileResult<T>(rows.ToImmutable(), [])
        : new DataFileResult<T>([], [.. errors.OrderBy(e => e.Row)]);

    [GeneratedRegex("^[0-9A-Za-z_-]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();
}
