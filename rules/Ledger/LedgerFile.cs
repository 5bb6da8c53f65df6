using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Rules.Ledger;

/// <summary>A row of a tasks file, checked (the columns of §1; empty optional cells as null).</summary>
#pragma warning disable CS1573 // the parameters are the file's columns, named alike
public sealed record LedgerRow(int Row, string Id, int Year, string? Parent, string Kind, string Title, string? Unit, string? Lead, string? Leader,
    DateOnly? Due, TaskState Status, DateOnly? Done);
#pragma warning restore CS1573

/// <summary>
/// Reads a year's tasks file (contract §1): <c>id,year,parent,kind,title,unit,lead,leader,due,status,done</c>. All or
/// nothing: every row is checked and every problem listed as <c>FILE:ROW:COLUMN: reason</c> (an unknown unit, a bad
/// date, a duplicate id, a parent neither in the file nor in the year's ledger, a cycle of parents, <c>done</c> without
/// 已销号 or the reverse, a unit's task without <c>due</c>).
/// </summary>
public static partial class LedgerFile
{
    /// <summary>The columns of a tasks file, in order.</summary>
    public static readonly ImmutableArray<string> Columns = ["id", "year", "parent", "kind", "title", "unit", "lead", "leader", "due", "status", "done"];

    /// <summary>Most characters of a task's title.</summary>
    public const int MaxTitleLength = 1000;

    /// <summary>True for a task id: <c>[0-9A-Za-z_-]{1,40}</c>.</summary>
    public static bool IsId(string? text) => text is not null && IdPattern().IsMatch(text);

    /// <summary>
    /// Checks the rows of a tasks file for <paramref name="year"/>.
    /// </summary>
    /// <param name="rows">Rows of named cells (CSV or XLSX, split by the caller).</param>
    /// <param name="fileName">For the errors.</param>
    /// <param name="year">The year the file is imported for (every row's <c>year</c> must be it).</param>
    /// <param name="unitCodes">The units of that year.</param>
    /// <param name="existing">The year's tasks already in the ledger, by id, with their parents (a parent may be one of them).</param>
    /// <param name="errors">Problems found before (the table's), kept and reported with the rows'.</param>
    /// <param name="serialDates">Accept a spreadsheet's date serial number (an XLSX date cell) as well as <c>YYYY-MM-DD</c>.</param>
    public static DataFileResult<LedgerRow> Read(IEnumerable<(int Row, IReadOnlyDictionary<string, string> Cells)> rows, string fileName, int year,
        IReadOnlySet<string> unitCodes, IReadOnlyDictionary<string, string?> existing, List<DataError>? errors = null, bool serialDates = false)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(unitCodes);
        ArgumentNullException.ThrowIfNull(existing);
        errors ??= [];
        var read = new List<LedgerRow>();
        var rowOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var parents = new List<(int Row, string Id, string Parent)>();
        foreach (var (row, cells) in rows)
        {
            var before = errors.Count;
            void Bad(string column, string message) => errors.Add(new DataError(fileName, row, column, message));
            var id = cells["id"];
            if (!IsId(id)) Bad("id", id.Length == 0 ? "任务编号不能为空" : $"任务编号 '{Shown(id)}' 不合规（只能是 1–40 位字母、数字、_ 或 -）");
            else if (rowOf.TryGetValue(id, out var first)) Bad("id", $"任务编号 '{id}' 重复（第 {first} 行已有）");
            else rowOf[id] = row;
            var yearText = cells["year"];
            if (!(yearText.Length == 4 && int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var y))) Bad("year", $"年度应为 YYYY，这里是 '{Shown(yearText)}'");
            else if (y != year) Bad("year", $"年度 {y} 与导入的年度 {year} 不一致");
            var parent = cells["parent"];
            if (parent.Length > 0 && !IsId(parent)) Bad("parent", $"上级编号 '{Shown(parent)}' 不合规");
            var kind = cells["kind"];
            if (!TextRules.IsName(kind)) Bad("kind", $"类型含有控制字符或超过 {TextRules.MaxNameLength} 个字符");
            var title = cells["title"];
            if (title.Length == 0) Bad("title", "任务内容不能为空");
            else if (title.Length > MaxTitleLength || !TextRules.IsPrintable(title)) Bad("title", $"任务内容含有控制字符或超过 {MaxTitleLength} 个字符");
            var unit = cells["unit"];
            if (unit.Length > 0 && !unitCodes.Contains(unit)) Bad("unit", $"未知的单位 '{Shown(unit)}'（不在 {year} 年的单位名单中）");
            var lead = cells["lead"];
            if (!TextRules.IsName(lead)) Bad("lead", $"牵头单位含有控制字符或超过 {TextRules.MaxNameLength} 个字符");
            var leader = cells["leader"];
            if (!TextRules.IsName(leader)) Bad("leader", $"责任领导含有控制字符或超过 {TextRules.MaxNameLength} 个字符");
            var due = Date(cells["due"], "due", serialDates, Bad);
            if (unit.Length > 0 && cells["due"].Length == 0) Bad("due", "有责任单位的任务必须填完成时限（due）");
            var statusText = cells["status"];
            var status = TaskState.InProgress;
            if (statusText.Length > 0 && (!TaskStates.TryParse(statusText, out status) || status == TaskState.Submitted))
                Bad("status", $"状态应为推进中、已销号或中止（或留空），这里是 '{Shown(statusText)}'");
            else if (statusText.Length > 0 && unit.Length == 0 && status != TaskState.InProgress) Bad("status", "分组项（没有责任单位）没有状态");
            var done = Date(cells["done"], "done", serialDates, Bad);
            var doneGiven = cells["done"].Length > 0;
            if (status == TaskState.Closed && !doneGiven) Bad("done", "状态为已销号时必须填完成日期（done）");
            else if (status != TaskState.Closed && doneGiven) Bad("done", "只有状态为已销号的任务才填完成日期（done）");
            if (IsId(id) && parent.Length > 0 && IsId(parent)) parents.Add((row, id, parent));
            if (errors.Count == before)
                read.Add(new LedgerRow(row, id, year, parent.Length == 0 ? null : parent, kind, title, unit.Length == 0 ? null : unit,
                    lead.Length == 0 ? null : lead, leader.Length == 0 ? null : leader, due, status, status == TaskState.Closed ? done : null));
        }
        CheckParents(parents, rowOf, existing, fileName, errors);
        return errors.Count == 0
            ? new DataFileResult<LedgerRow>([.. read], [])
            : new DataFileResult<LedgerRow>([], [.. errors.OrderBy(e => e.Row).ThenBy(e => Columns.IndexOf(e.Column))]);
    }

    /// <summary>Every parent is in the file or the year's ledger, and following parents never comes back to a row.</summary>
    private static void CheckParents(List<(int Row, string Id, string Parent)> parents, Dictionary<string, int> rowOf,
        IReadOnlyDictionary<string, string?> existing, string fileName, List<DataError> errors)
    {
        // The file's parents replace the ledger's for the ids it names.
        var parentOf = new Dictionary<string, string?>(existing, StringComparer.Ordinal);
        foreach (var id in rowOf.Keys) parentOf[id] = null;
        foreach (var (_, id, parent) in parents) parentOf[id] = parent;
        foreach (var (row, id, parent) in parents)
        {
            if (!parentOf.ContainsKey(parent))
            {
                errors.Add(new DataError(fileName, row, "parent", $"上级 '{parent}' 不在本文件中，也不在该年度的台账中"));
                continue;
            }
            // Walk up: a cycle shows as coming back to this id within as many steps as there are ids.
            var seen = 0;
            for (var at = (string?)parent; at is not null && seen <= parentOf.Count; seen++)
            {
                if (at == id)
                {
                    errors.Add(new DataError(fileName, row, "parent", $"上级关系成环：从 '{id}' 沿上级又回到了 '{id}'"));
                    break;
                }
                at = parentOf.TryGetValue(at, out var up) ? up : null;
            }
        }
    }

    private static DateOnly? Date(string text, string column, bool serial, Action<string, string> bad)
    {
        if (text.Length == 0) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year >= 1900) return date;
        // A date cell of a spreadsheet holds the days since 1899-12-30 (Excel's and LibreOffice's epoch, past 1900-02-28).
        if (serial && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is > 60 and < 2958466)
            return DateOnly.FromDayNumber(new DateOnly(1899, 12, 30).DayNumber + days);
        bad(column, $"日期应为 YYYY-MM-DD，这里是 '{Shown(text)}'");
        return null;
    }

    private static string Shown(string text) => TextRules.Escape(text.Length > 40 ? text[..40] + "…" : text);

    [GeneratedRegex("^[0-9A-Za-z_-]{1,40}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
