using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Portal.Building;

/// <summary>Every page's address, in one place (the functions' routes use the same shapes).</summary>
public static class PortalUrls
{
    /// <summary>Sign-in page.</summary>
    public const string SignIn = "/signin";

    /// <summary>Sign-out (POST).</summary>
    public const string SignOut = "/signout";

    /// <summary>Change password.</summary>
    public const string Password = "/password";

    /// <summary>Office: uploads.</summary>
    public const string Uploads = "/office/uploads";

    /// <summary>Office: evaluations.</summary>
    public const string Runs = "/office/runs";

    /// <summary>Office: audit log.</summary>
    public const string Audit = "/office/audit";

    /// <summary>Office: accounts.</summary>
    public const string Accounts = "/office/accounts";

    /// <summary>Rulesets.</summary>
    public const string Rulesets = "/rulesets";

    /// <summary>A new ruleset in the editor.</summary>
    public const string NewRuleset = "/rulesets/new";

    /// <summary>Validation for the editor's script (POST, JSON answer).</summary>
    public const string ValidateRuleset = "/rulesets/validate";

    /// <summary>Where a user of this role starts.</summary>
    public static string Home(AccountRole role, string? unitCode) => role switch
    {
        AccountRole.Office => Runs,
        AccountRole.Author => Rulesets,
        _ => Unit(unitCode ?? ""),
    };

    /// <summary>A unit's home page.</summary>
    public static string Unit(string code) => $"/units/{Uri.EscapeDataString(code)}";

    /// <summary>A unit's scorecard page for a period.</summary>
    public static string Scorecard(string code, Period period) => $"{Unit(code)}/scorecards/{period}";

    /// <summary>A unit's PDF scorecard for a period.</summary>
    public static string ScorecardPdf(string code, Period period) => $"{Unit(code)}/scorecards/{period}/pdf";

    /// <summary>The bulletin of a unit's class in a period.</summary>
    public static string Bulletin(string code, Period period) => $"{Unit(code)}/bulletin/{period}";

    /// <summary>That bulletin's PDF.</summary>
    public static string BulletinPdf(string code, Period period) => $"{Unit(code)}/bulletin/{period}/pdf";

    /// <summary>A published year's level-wide ranking (the bulletin keyed <c>level-&lt;level&gt;</c>; the API's download, which a session may use).</summary>
    public static string LevelRankingPdf(Period year, UnitLevel level) => $"/api/periods/{year}/bulletins/{level.ToText()}/level-{level.ToText()}.pdf";

    /// <summary>A county's towns.</summary>
    public static string Towns(string code) => $"{Unit(code)}/towns";

    /// <summary>A unit's one-page month PDF of a published month.</summary>
    public static string MonthPdf(string code, Period month) => $"{Unit(code)}/months/{month}/pdf";

    /// <summary>The month bulletin of a unit's level, of a published month.</summary>
    public static string MonthBulletinPdf(string code, Period month) => $"{Unit(code)}/month-bulletin/{month}/pdf";

    /// <summary>A run's review page.</summary>
    public static string Run(string runId) => $"{Runs}/{Uri.EscapeDataString(runId)}";

    /// <summary>A run's progress (JSON, polled by the page).</summary>
    public static string RunProgress(string runId) => $"{Run(runId)}/progress";

    /// <summary>A unit's scorecard in one run (office, published or not: the review reads the run's own).</summary>
    public static string RunScorecard(string runId, string code) => $"{Run(runId)}/units/{Uri.EscapeDataString(code)}";

    /// <summary>That scorecard's PDF.</summary>
    public static string RunScorecardPdf(string runId, string code) => $"{RunScorecard(runId, code)}/pdf";

    /// <summary>A class's bulletin in one run (office, published or not).</summary>
    public static string RunBulletin(string runId, string @class) => $"{Run(runId)}/bulletins/{Uri.EscapeDataString(@class)}";

    /// <summary>That bulletin's PDF.</summary>
    public static string RunBulletinPdf(string runId, string @class) => $"{RunBulletin(runId, @class)}/pdf";

    /// <summary>Publish a run (POST).</summary>
    public static string Publish(string runId) => $"{Run(runId)}/publish";

    /// <summary>The ZIP of a period's published scorecards of a level (the API's download, which a session may use).</summary>
    public static string Zip(Period period, UnitLevel level) => $"/api/periods/{period}/scorecards.zip?level={level.ToText()}";

    /// <summary>A run's results as an XLSX 汇总表 (the office's API route, before and after publishing).</summary>
    public static string ResultsXlsx(string runId) => $"/api/evaluations/{Uri.EscapeDataString(runId)}/results.xlsx";

    /// <summary>The observations template of a period for a ruleset (the API's download).</summary>
    public static string Template(Period period, string rulesetId) => $"/api/periods/{period}/template.xlsx?ruleset={Uri.EscapeDataString(rulesetId)}";

    /// <summary>The editor on a stored version.</summary>
    public static string Edit(string rulesetId, int version) => $"{Rulesets}/{Uri.EscapeDataString(rulesetId)}/{version}/edit";

    /// <summary>A version's preview against a period.</summary>
    public static string Preview(string rulesetId, int version) => $"{Rulesets}/{Uri.EscapeDataString(rulesetId)}/{version}/preview";

    /// <summary>Activate a version (POST, office).</summary>
    public static string Activate(string rulesetId, int version) => $"{Rulesets}/{Uri.EscapeDataString(rulesetId)}/{version}/activate";

    /// <summary>Deactivate a ruleset (POST, office).</summary>
    public static string Deactivate(string rulesetId) => $"{Rulesets}/{Uri.EscapeDataString(rulesetId)}/deactivate";

    /// <summary>The diff between two versions.</summary>
    public static string Diff(string rulesetId, int from, int to) => $"{Rulesets}/{Uri.EscapeDataString(rulesetId)}/diff?from={from}&to={to}";
}
