using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Portal.Building;

/// <summary>The notice-and-review pages' addresses (公示、复核; the functions' routes use the same shapes).</summary>
public static class NoticeUrls
{
    /// <summary>The office's list of publications with their notices.</summary>
    public const string List = "/office/notices";

    /// <summary>The office's page of a period's and level's notice.</summary>
    public static string Notice(Period period, UnitLevel level) => $"{List}/{period}/{level.ToText()}";

    /// <summary>Make final (<c>final</c>) or withdraw (<c>withdraw</c>) the current provisional publication (POST).</summary>
    public static string Change(Period period, UnitLevel level, string action) => $"{Notice(period, level)}/{action}";

    /// <summary>File a review request on a unit's published result of a period (POST, multipart).</summary>
    public static string File(string code, Period period) => $"{PortalUrls.Scorecard(code, period)}/reviews";

    /// <summary>Answer (<c>answer</c>, the office) or withdraw (<c>withdraw</c>, its unit) a request (POST).</summary>
    public static string Request(string id, string action) => $"/reviews/{Uri.EscapeDataString(id)}/{action}";

    /// <summary>An evidence file of a request.</summary>
    public static string Evidence(string id, string sha256) => $"/reviews/{Uri.EscapeDataString(id)}/files/{sha256}";
}
