using System.Globalization;
using BaiQianWan.Assess.Rules.Ledger;

namespace BaiQianWan.Assess.Portal.Building;

/// <summary>The ledger pages' addresses (the functions' routes use the same shapes).</summary>
public static class LedgerUrls
{
    /// <summary>The office's board.</summary>
    public const string Board = "/office/ledger";

    /// <summary>The office's verification queue.</summary>
    public const string Queue = "/office/ledger/queue";

    /// <summary>The board of another year than this one.</summary>
    public static string BoardOf(int year) => $"{Board}?year={year.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A task's page (its history).</summary>
    public static string Task(int year, string id) => $"/ledger/{year.ToString(CultureInfo.InvariantCulture)}/tasks/{Uri.EscapeDataString(id)}";

    /// <summary>A change to a task (POST): <c>submit</c>, <c>close</c>, <c>return</c>, <c>extend</c>, <c>approve</c>, <c>refuse</c>, <c>reopen</c>, <c>cancel</c>, <c>resume</c>, <c>deadline</c>.</summary>
    public static string Change(int year, string id, LedgerChange change) => $"{Task(year, id)}/{change.ToWord()}";

    /// <summary>An evidence file of a task (a download).</summary>
    public static string File(int year, string id, string sha256) => $"{Task(year, id)}/files/{sha256}";

    /// <summary>A unit's tasks.</summary>
    public static string Unit(string code) => $"{PortalUrls.Unit(code)}/ledger";
}
