using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Workflow.Imports;

/// <summary>What kind of problem a group of errors is (the portal offers to import every period of a file refused only for its periods).</summary>
public enum ImportErrorKindCode
{
    /// <summary>A row of another period than the one the upload is for.</summary>
    OtherPeriod,

    /// <summary>A unit not in the units list (of the row's year).</summary>
    UnknownUnit,

    /// <summary>Any other problem; grouped by its column and the words of its message.</summary>
    Other,
}

/// <summary>
/// Errors of one kind: one line for the group (<c>84,791 行的期间不是 2025Q4</c>) and its first rows.
/// </summary>
/// <param name="Code">The kind.</param>
/// <param name="Summary">The group's line, with its count.</param>
/// <param name="Count">How many errors are of this kind.</param>
/// <param name="First">The first <see cref="ImportErrorReport.PerKind"/> of them, in file order.</param>
public sealed record ImportErrorKind(ImportErrorKindCode Code, string Summary, int Count, IReadOnlyList<InputError> First);

/// <summary>
/// A refused file's errors bounded for a page or a response: the total, every kind of error once with its count and first
/// rows, and at most <see cref="MaxShown"/> errors listed (all of them when there are no more; otherwise each kind's first
/// rows, then the next errors in file order). The full list is <see cref="Csv"/>.
/// </summary>
/// <param name="FileName">The refused file.</param>
/// <param name="Total">How many errors the file has.</param>
/// <param name="Kinds">Each kind of error once, in the order it first appears.</param>
/// <param name="Shown">The errors listed, in file order; <see cref="Total"/> when they are all.</param>
public sealed partial record ImportErrorReport(string FileName, int Total, IReadOnlyList<ImportErrorKind> Kinds, IReadOnlyList<InputError> Shown)
{
    /// <summary>Most errors listed on a page or in a response.</summary>
    public const int MaxShown = 200;

    /// <summary>Rows shown with each kind's line.</summary>
    public const int PerKind = 5;

    /// <summary>True when some errors are not listed (the CSV has them).</summary>
    public bool Truncated => Shown.Count < Total;

    /// <summary>True when every error is a row of another period than the upload was for (importing each row's own period would pass them).</summary>
    public bool OnlyOtherPeriods => Kinds.Count > 0 && Kinds.All(k => k.Code == ImportErrorKindCode.OtherPeriod);

    /// <summary>The report of a refusal.</summary>
    public static ImportErrorReport Of(InputRejectedException rejected)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        return Of(rejected.FileName, rejected.Errors);
    }

    /// <summary>The report of a file's errors (in file order).</summary>
    public static ImportErrorReport Of(string fileName, IReadOnlyList<InputError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var groups = new Dictionary<string, (ImportErrorKindCode Code, string? Only, List<int> Indexes)>(StringComparer.Ordinal);
        var order = new List<string>();
        for (var i = 0; i < errors.Count; i++)
        {
            var (key, code, only) = KeyOf(errors[i]);
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = (code, only, []);
                order.Add(key);
            }
            group.Indexes.Add(i);
        }
        var kinds = order.Select(key =>
        {
            var (code, only, indexes) = groups[key];
            var first = errors[indexes[0]];
            return new ImportErrorKind(code, Summary(code, only, indexes.Count, first), indexes.Count, [.. indexes.Take(PerKind).Select(i => errors[i])]);
        }).ToList();

        IReadOnlyList<InputError> shown;
        if (errors.Count <= MaxShown) shown = errors;
        else
        {
            // Every kind's first rows, so no kind hides behind a large one; then the next errors in file order.
            var picked = new SortedSet<int>();
            foreach (var key in order)
                foreach (var i in groups[key].Indexes.Take(PerKind))
                    if (picked.Count < MaxShown) picked.Add(i);
            for (var i = 0; i < errors.Count && picked.Count < MaxShown; i++) picked.Add(i);
            shown = [.. picked.Select(i => errors[i])];
        }
        return new ImportErrorReport(fileName, errors.Count, kinds, shown);
    }

    /// <summary>
    /// Every error as CSV (UTF-8 with a byte-order mark, so Excel and WPS read the Chinese; columns 文件, 行, 列, 原因); a cell that
    /// a spreadsheet would take for a formula (starting with <c>= + - @</c>, a lone <c>-</c> apart) is written with a leading <c>'</c>.
    /// </summary>
    public static byte[] Csv(IReadOnlyList<InputError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var text = new StringBuilder("文件,行,列,原因\r\n");
        foreach (var e in errors)
            text.Append(Cell(e.File)).Append(',').Append(e.Row.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Cell(e.Column)).Append(',').Append(Cell(e.Message)).Append("\r\n");
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    private static string Cell(string value)
    {
        if (value.Length > 1 && value[0] is '=' or '+' or '-' or '@' || value.Length > 0 && value[0] is '=' or '+' or '@' or '\t' or '\r')
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Summary(ImportErrorKindCode code, string? only, int count, InputError first) => code switch
    {
        ImportErrorKindCode.OtherPeriod => $"{Count(count)} 行的期间不是 {only}",
        ImportErrorKindCode.UnknownUnit => $"{Count(count)} 行的单位不在单位名单中",
        _ when count == 1 => $"第 {first.Row} 行 {first.Column} 列：{first.Message}",
        _ => $"{Count(count)} 处同类错误（{first.Column} 列），如第 {first.Row} 行：{first.Message}",
    };

    /// <summary>The kind of an error: its column and its message with the quoted values, periods and numbers taken out.</summary>
    private static (string Key, ImportErrorKindCode Code, string? Only) KeyOf(InputError e)
    {
        if (e.Column == "period" && OtherPeriod().Match(e.Message) is { Success: true } m)
            return ("period|" + m.Groups["only"].Value, ImportErrorKindCode.OtherPeriod, m.Groups["only"].Value);
        if (e.Column == "unit" && (e.Message.StartsWith("未知的单位", StringComparison.Ordinal) || e.Message.Contains("的单位名单中", StringComparison.Ordinal)))
            return ("unit", ImportErrorKindCode.UnknownUnit, null);
        return (e.Column + "|" + Digits().Replace(Quoted().Replace(e.Message, "'…'"), "#"), ImportErrorKindCode.Other, null);
    }

    [GeneratedRegex(@"^期间 \S+ 不是本次导入的期间 (?<only>\d{4}(?:Q[1-4]|-\d{2})?)$")]
    private static partial Regex OtherPeriod();

    [GeneratedRegex(@"'(?:[^']|'')*'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
