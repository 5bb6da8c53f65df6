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

    /// <summary>
    /// The optional columns of an observations file: <c>plan</c>, the planned year-to-date figure through a month
    /// (按月分解的计划, for monitors paced by plan). A file without the column is valid; an empty cell is no plan.
    /// </summary>
    public static readonly ImmutableArray<string> ObservationOptionalColumns = ["plan"];

    /// <summary>Every column an observations file may have, in the order errors are listed.</summary>
    private static readonly ImmutableArray<string> ObservationAllColumns = [.. ObservationColumns, .. ObservationOptionalColumns];

    /// <summary>The optional columns that go with a set of required ones (the observations' <c>plan</c>; none for units).</summary>
    public static ImmutableArray<string> OptionalColumnsOf(ImmutableArray<string> columns) =>
        columns.SequenceEqual(ObservationColumns) ? ObservationOptionalColumns : [];

    /// <summary>Reads units from CSV text.</summary>
    public static DataFileResult<Unit> ReadUnits(string csv, string fileName) => ReadUnits(Rows(csv, fileName, UnitColumns, out var errors), fileName, errors);

    /// <summary>Reads units from rows already split into named cells (CSV or XLSX).</summary>
    public static DataFileResult<Unit> ReadUnits(IEnumerable<(int Row, IReadOnlyDictionary<string, string> Cells)> rows, string fileName, List<DataError>? errors = null)
    {
        errors ??= [];
        var units = ImmutableArray.CreateBuilder<Unit>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rowsOf = new List<int>();
        foreach (var (row, cells) in rows)
        {
            var before = errors.Count;
            void Bad(string column, string message) => errors.Add(new DataError(fileName, row, column, message));
            var code = cells["code"];
            if (!TextRules.IsCode(code)) Bad("code", code.Length == 0 ? "单位代码不能为空" : $"单位代码 '{Shown(code)}' 不合规（只能是 1–32 位字母、数字、_ 或 -）");
            else if (!seen.Add(code)) Bad("code", $"单位代码 '{code}' 重复");
            var name = cells["name"];
            if (name.Length == 0) Bad("name", "单位名称不能为空");
            else if (!TextRules.IsName(name)) Bad("name", $"单位名称 '{Shown(name)}' 含有控制字符或超过 {TextRules.MaxNameLength} 个字符");
            if (!UnitLevels.TryParse(cells["level"], out var level)) Bad("level", $"层级应为 city、county、town 或 village，这里是 '{Shown(cells["level"])}'");
            var parent = cells["parent"];
            if (parent.Length > 0 && !TextRules.IsCode(parent)) Bad("parent", $"上级代码 '{Shown(parent)}' 不合规（只能是 1–32 位字母、数字、_ 或 -）");
            var cls = cells["class"];
            if (cls.Length > 0 && !TextRules.IsKey(cls))
                Bad("class", $"类别 '{Shown(cls)}' 不合规（1–{TextRules.MaxKeyLength} 个可打印字符，不含 / 和 \\，首尾不能有空格）");
            if (errors.Count == before)
            {
                units.Add(new Unit(code, name, level, parent.Length == 0 ? null : parent, cls));
                rowsOf.Add(row);
            }
        }
        CheckHierarchy(units, rowsOf, fileName, errors);
        return Result(units, errors, UnitColumns);
    }

    /// <summary>
    /// The units of one year form a hierarchy: a town's parent is a county of the file, a village's a town of the file;
    /// a county's parent is its city, which is not an assessed unit, so it names no unit of the file (or is empty).
    /// Cycles are impossible under these rules (each step goes up a level and a county's parent is no unit), and a
    /// unit that is its own parent breaks them.
    /// </summary>
    private static void CheckHierarchy(ImmutableArray<Unit>.Builder units, List<int> rows, string fileName, List<DataError> errors)
    {
        var byCode = new Dictionary<string, Unit>(StringComparer.Ordinal);
        foreach (var u in units) byCode.TryAdd(u.Code, u);
        for (var i = 0; i < units.Count; i++)
        {
            var unit = units[i];
            if (unit.Parent is not { } parentCode) continue;
            byCode.TryGetValue(parentCode, out var parent);
            var problem = unit.Level switch
            {
                UnitLevel.City when parent is not null =>
                    $"地级市的上级应为省（不是考核单位）或留空，这里的 '{parentCode}' 是本名单中的{parent.Level.ToChinese()}",
                UnitLevel.County when parent is not null && parent.Level != UnitLevel.City =>
                    $"县级单位的上级应为地级市（不是考核单位）或留空，这里的 '{parentCode}' 是本名单中的{parent.Level.ToChinese()}",
                UnitLevel.Town when parent is null => $"乡镇的上级应为本名单中的县级单位，名单中没有 '{parentCode}'",
                UnitLevel.Town when parent.Level != UnitLevel.County => $"乡镇的上级应为县级单位，'{parentCode}' 是{parent.Level.ToChinese()}",
                UnitLevel.Village when parent is null => $"行政村的上级应为本名单中的乡镇，名单中没有 '{parentCode}'",
                UnitLevel.Village when parent.Level != UnitLevel.Town => $"行政村的上级应为乡镇，'{parentCode}' 是{parent.Level.ToChinese()}",
                _ => null,
            };
            if (problem is not null) errors.Add(new DataError(fileName, rows[i], "parent", problem));
        }
    }

    /// <summary>
    /// Reads observations from CSV text, checking units against <paramref name="unitCodes"/>. With
    /// <paramref name="derivedAllowed"/> the task ledger's derived ids (<c>ledger_*</c>) are read like any indicator: a
    /// file evaluated as it is (<c>cli evaluate</c>, <c>cli monitor</c>) has no ledger to derive them from, so it may carry
    /// them (e.g. the output of <c>ledger observations</c>); an upload into a store never may.
    /// </summary>
    public static DataFileResult<Observation> ReadObservations(string csv, string fileName, IReadOnlySet<string> unitCodes,
        bool derivedAllowed = false) =>
        ReadObservations(Rows(csv, fileName, ObservationColumns, out var errors), fileName, unitCodes, errors, derivedAllowed: derivedAllowed);

    /// <summary>
    /// Reads observations from rows already split into named cells (CSV or XLSX). Every check runs on every row and
    /// every problem is reported (the caller's <paramref name="errors"/> included), whatever their kinds; with
    /// <paramref name="onlyPeriod"/>, a row of another period is one more problem of its row, not a reason to stop.
    /// </summary>
    public static DataFileResult<Observation> ReadObservations(IEnumerable<(int Row, IReadOnlyDictionary<string, string> Cells)> rows,
        string fileName, IReadOnlySet<string> unitCodes, List<DataError>? errors = null, Period? onlyPeriod = null,
        bool derivedAllowed = false)
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
            else if (!unitCodes.Contains(unit)) Bad("unit", $"未知的单位 '{Shown(unit)}'");
            var indicator = cells["indicator"];
            if (indicator.Length == 0) Bad("indicator", "指标 id 不能为空");
            else if (!TextRules.IsKey(indicator)) Bad("indicator", $"指标 id '{Shown(indicator)}' 不合规（1–{TextRules.MaxKeyLength} 个可打印字符，不含 / 和 \\）");
            else if (!derivedAllowed && Ledger.LedgerFigures.IsDerived(indicator))
                Bad("indicator", $"指标 '{indicator}' 由任务台账推算，不能上传（运行时自动并入该期数据）");
            var periodOk = Period.TryParse(cells["period"], out var period);
            if (!periodOk) Bad("period", $"期间应为 YYYY-MM、YYYYQn 或 YYYY，这里是 '{Shown(cells["period"])}'");
            else if (onlyPeriod is { } only && period != only) Bad("period", $"期间 {period} 不是本次导入的期间 {only}");
            var actual = Number(cells["actual"], "actual", required: true, Bad);
            var target = Number(cells["target"], "target", required: false, Bad);
            var baseline = Number(cells["baseline"], "baseline", required: false, Bad);
            // (monitors) the optional plan column; a file without it reads as no plan on every row.
            var plan = cells.TryGetValue("plan", out var planText) ? Number(planText, "plan", required: false, Bad) : null;
            if (periodOk && unit.Length > 0 && indicator.Length > 0 && !seen.Add((unit, indicator, period)))
                Bad("indicator", $"重复的数据：单位 '{unit}'、指标 '{indicator}'、期间 {period} 已在前面出现");
            if (errors.Count == before)
                observations.Add(new Observation(unit, indicator, period, actual!.Value, target, baseline, plan));
        }
        return Result(observations, errors, ObservationAllColumns);
    }

    private static decimal? Number(string text, string column, bool required, Action<string, string> bad)
    {
        if (text.Length == 0)
        {
            if (required) bad(column, "必填的数值为空");
            return null;
        }
        if (!NumberPattern().IsMatch(text))
        {
            bad(column, $"'{Shown(text)}' 不是数值（小数点用 .，不要千分位和单位）");
            return null;
        }
        // Bounded so that no growth rate, completion or sum over a province can overflow exact decimals.
        if (decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            && Math.Abs(value) <= DataLimits.MaxMagnitude && Evaluation.Numbers.Normalize(value).Scale <= DataLimits.MaxDecimalPlaces)
            return value;
        bad(column, $"'{Shown(text)}' 超出可计算的范围（绝对值应小于 10 的 12 次方，最多 {DataLimits.MaxDecimalPlaces} 位小数）");
        return null;
    }

    /// <summary>A cell's text for a message: long text cut, control characters escaped.</summary>
    private static string Shown(string text) => TextRules.Escape(text.Length > 40 ? text[..40] + "…" : text);

    /// <summary>Splits CSV into rows of named cells, checking the header; header problems are errors at row 1.</summary>
    private static IEnumerable<(int Row, IReadOnlyDictionary<string, string> Cells)> Rows(string csv, string fileName,
        ImmutableArray<string> columns, out List<DataError> errors)
    {
        var list = new List<DataError>();
        errors = list;
        var records = CsvRecords.Read(csv, (row, message, tooLarge) => list.Add(new DataError(fileName, row, "-", message, tooLarge))).ToList();
        if (records.Count == 0)
        {
            list.Add(new DataError(fileName, 1, "-", "文件为空，缺少表头"));
            return [];
        }
        return Table(records, 1, fileName, columns, TableRules.Strict, list);
    }

    /// <summary>
    /// Maps records (a header record, then data records, with their row numbers) to rows of named cells,
    /// checking the header against <paramref name="columns"/>; the CSV and XLSX readers share it. Problems go to
    /// <paramref name="errors"/>; when it holds any after the header check (the caller's parse errors of this
    /// file included), no rows are returned.
    /// </summary>
    /// <param name="records">The file's records, header first.</param>
    /// <param name="headerRow">The header's row number, for its errors.</param>
    /// <param name="fileName">File name for errors.</param>
    /// <param name="columns">The expected columns.</param>
    /// <param name="rules">How strictly rows are checked against the header.</param>
    /// <param name="errors">Where problems are added.</param>
    /// <param name="optional">
    /// Columns that may be left out (a row of a file without one reads it as empty); by default
    /// <see cref="OptionalColumnsOf"/> the required ones (an observations file's <c>plan</c>).
    /// </param>
    public static ImmutableArray<(int Row, IReadOnlyDictionary<string, string> Cells)> Table(IReadOnlyList<(int Row, string[] Fields)> records,
        int headerRow, string fileName, ImmutableArray<string> columns, TableRules rules, List<DataError> errors,
        ImmutableArray<string> optional = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(errors);
        if (optional.IsDefault) optional = OptionalColumnsOf(columns);
        var known = optional.IsEmpty ? columns : [.. columns, .. optional];
        var header = records[0].Fields.Select(h => h.Trim()).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < header.Length; c++)
        {
            if (rules.NoteColumns && (header[c].StartsWith('#') || (header[c].Length == 0 && !known.Contains("")))) continue;
            if (!known.Contains(header[c]))
                errors.Add(new DataError(fileName, headerRow, header[c], $"未知的列 '{header[c]}'（应为 {string.Join(",", columns)}{(optional.IsEmpty ? "" : "，可选 " + string.Join(",", optional))}）"));
            else if (!index.TryAdd(header[c], c)) errors.Add(new DataError(fileName, headerRow, header[c], $"列 '{header[c]}' 重复"));
        }
        foreach (var c in columns)
            if (!index.ContainsKey(c)) errors.Add(new DataError(fileName, headerRow, c, $"缺少列 '{c}'"));
        if (errors.Count > 0) return [];

        var rows = ImmutableArray.CreateBuilder<(int, IReadOnlyDictionary<string, string>)>(records.Count - 1);
        foreach (var (row, fields) in records.Skip(1))
        {
            var extra = rules.NoteColumns ? fields.Skip(header.Length).Any(f => f.Trim().Length > 0) : fields.Length > header.Length;
            var tooShort = fields.Length < header.Length && !rules.ShortRows;
            if (extra || tooShort)
                errors.Add(new DataError(fileName, row, "-", $"这一行有 {fields.Length} 列，表头有 {header.Length} 列"));
            var cells = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var c in known)
                cells[c] = index.TryGetValue(c, out var at) && at < fields.Length ? fields[at].Trim() : "";
            rows.Add((row, cells));
        }
        return rows.MoveToImmutable();
    }

    /// <summary>
    /// The rows, or every error in file order: by row, then in the order of the columns (whole-row problems, and a
    /// header's unknown columns, first; otherwise in the order found).
    /// </summary>
    private static DataFileResult<T> Result<T>(ImmutableArray<T>.Builder rows, List<DataError> errors, ImmutableArray<string> columns) => errors.Count == 0
        ? new DataFileResult<T>(rows.ToImmutable(), [])
        : new DataFileResult<T>([], [.. errors.OrderBy(e => e.Row).ThenBy(e => columns.IndexOf(e.Column))]);

    [GeneratedRegex(@"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();
}

/// <summary>How strictly <see cref="DataFiles.Table"/> checks rows against the header.</summary>
/// <param name="NoteColumns">
/// Columns headed <c>#…</c> (and blank header cells) are notes and ignored, and cells beyond the header are
/// a problem only when they hold something: files that went through a spreadsheet (the XLSX template).
/// </param>
/// <param name="ShortRows">A row with fewer cells than the header is read with the missing cells empty (XLSX leaves trailing empty cells out).</param>
public sealed record TableRules(bool NoteColumns, bool ShortRows)
{
    /// <summary>Every row has exactly the header's columns, and every header cell is an expected column.</summary>
    public static TableRules Strict { get; } = new(false, false);
}
