using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Http;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Portal.Building;
using BaiQianWan.Assess.Portal.Pages;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using Microsoft.Azure.Functions.Worker;

namespace BaiQianWan.Assess.Functions.Portal;

/// <summary>
/// A unit's pages: home, each published scorecard (page and PDF), its class's bulletin (page and PDF), a county's towns.
/// The office sees every unit's; a unit its own, a county also its towns'; anyone else gets the same 403 page, whether
/// or not the unit exists (<see cref="AccessPolicy"/>, deciding from each quarter's published run as the API does).
/// </summary>
public sealed class PortalUnitFunctions(PortalHttp portal, PortalPages pages, LedgerPages ledger, NoticePages notices)
{
    /// <summary><c>GET /units/{code}</c>.</summary>
    [Function("PortalUnitHome")]
    [Access(Policies.Portal)]
    [Page(Right.Results)]
    public Task<IResult> Home([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "units/{code}")] HttpRequest request, string code) =>
        portal.ServeAsync(request, async (http, user) =>
            await portal.PageAsync<UnitHomePage>(http, await pages.UnitHomeAsync(user, portal.Frame(http, user), code, http.RequestAborted)
                with { LedgerDue = await ledger.DueAsync(user, code, http.RequestAborted), Month = await MonthAsync(user, code, http.RequestAborted) }));

    /// <summary>The unit's latest published month with its review panel (公示、复核): the unit's form while 公示中 and its requests.</summary>
    private async Task<global::BaiQianWan.Assess.Portal.Models.UnitMonthModel?> MonthAsync(PortalUser user, string code, CancellationToken ct)
    {
        var month = await pages.UnitMonthAsync(user, code, ct);
        return month is { RunId: { } run }
            ? month with { Review = await notices.UnitAsync(user, code, month.Period, month.Level, run, month.Targets, ct) }
            : month;
    }

    /// <summary><c>GET /units/{code}/months/{month}/pdf</c>: the unit's one-page month PDF of a published month.</summary>
    [Function("PortalMonthPdf")]
    [Access(Policies.Portal)]
    [Page(Right.Results)]
    public Task<IResult> MonthPdf([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "units/{code}/months/{month}/pdf")] HttpRequest request,
        string code, string month) => MonthPdfAsync(request, code, month, DocumentKind.Scorecard);

    /// <summary><c>GET /units/{code}/month-bulletin/{month}/pdf</c>: the month bulletin of the unit's level, once published.</summary>
    [Function("PortalMonthBulletinPdf")]
    [Access(Policies.Portal)]
    [Page(Right.Results)]
    public Task<IResult> MonthBulletinPdf([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "units/{code}/month-bulletin/{month}/pdf")] HttpRequest request,
        string code, string month) => MonthPdfAsync(request, code, month, DocumentKind.Bulletin);

    private Task<IResult> MonthPdfAsync(HttpRequest request, string code, string month, DocumentKind kind) =>
        portal.ServeAsync(request, async (http, user) =>
        {
            var p = ParsePeriod(month);
            var document = await pages.MonthDocumentAsync(user, code, p, kind, http.RequestAborted);
            var what = kind == DocumentKind.Scorecard ? "month" : "month-bulletin";
            return Downloads.File(http, document.Content, document.Sha256, Downloads.Pdf, $"{p}-{code}-{what}.pdf",
                $"{p}-{code}-{(kind == DocumentKind.Scorecard ? "月度监测" : "月通报")}.pdf");
        });

    /// <summary><c>GET /units/{code}/scorecards/{period}</c>.</summary>
    [Function("PortalScorecard")]
    [Access(Policies.Portal)]
    [Page(Right.Results)]
    public Task<IResult> Scorecard([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "units/{code}/scorecards/{period}")] HttpRequest request,
        string code, string period) =>
        portal.ServeAsync(request, async (http, user) =>
        {
            var card = await pages.ScorecardAsync(user, portal.Frame(http, user), code, ParsePeriod(period), http.RequestAborted);
            // The review panel (公示、复核): the unit's form while 公示中 and its requests; the office's view of them.
            var review = card is { Level: { } level, RunId: { } run }
                ? await notices.UnitAsync(user, code, card.Result.Period, level, run, card.Targets, http.RequestAborted)
                : null;
            return await portal.PageAsync<ScorecardPage>(http, card with { Review = review });
        });

    /// <summary><c>GET /units/{code}/scorecards/{period}/pdf</c>.</summary>
    [Function("PortalScorecardPdf")]
    [Access(Policies.Portal)]
    [Page(Right.Results)]
    public Task<IResult> ScorecardPdf([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "units/{code}/scorecards/{period}/pdf")] HttpRequest request,
        string code, string period) => PdfAsync(request, code, period, DocumentKind.Scorecard);

    /// <summary><c>GET /units/{code}/bulletin/{period}</c>: the bulletin of the unit's class.</summary>
    [Function("PortalBulletin")]
    [Access(Policies.Portal)]
    [Page(Right.Results)]
    public Task<IResult> Bulletin([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "units/{code}/bulletin/{period}")] HttpRequest request,
        string code, string period) =>
        portal.ServeAsync(request, async (http, user) =>
            await portal.PageAsync<BulletinPage>(http, await pages.BulletinAsync(user, portal.Frame(http, user), code, ParsePeriod(period), http.RequestAborted)));

    /// <summary><c>GET /units/{code}/bulletin/{period}/pdf</c>.</summary>
    [Function("PortalBulletinPdf")]
    [Access(Policies.Portal)]
    [Page(Right.Results)]
    public Task<IResult> BulletinPdf([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "units/{code}/bulletin/{period}/pdf")] HttpRequest request,
        string code, string period) => PdfAsync(request, code, period, DocumentKind.Bulletin);

    /// <summary><c>GET /units/{code}/towns</c>: a county's towns.</summary>
    [Function("PortalTowns")]
    [Access(Policies.Portal)]
    [Page(Right.Results)]
    public Task<IResult> Towns([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "units/{code}/towns")] HttpRequest request, string code) =>
        portal.ServeAsync(request, async (http, user) =>
            await portal.PageAsync<TownsPage>(http, await pages.TownsAsync(user, portal.Frame(http, user), code, http.RequestAborted)));

    private Task<IResult> PdfAsync(HttpRequest request, string code, string period, DocumentKind kind) =>
        portal.ServeAsync(request, async (http, user) =>
        {
            var p = ParsePeriod(period);
            var document = await pages.DocumentAsync(user, code, p, kind, http.RequestAborted);
            var what = kind == DocumentKind.Scorecard ? "scorecard" : "bulletin";
            return Downloads.File(http, document.Content, document.Sha256, Downloads.Pdf, $"{p}-{code}-{what}.pdf",
                $"{p}-{code}-{(kind == DocumentKind.Scorecard ? "考核记分卡" : "排名通报")}.pdf");
        });


    internal static Period ParsePeriod(string text) =>
        Period.TryParse(text, out var p) ? p : throw new PortalException(StatusCodes.Status404NotFound, $"'{text}' 不是期间（应为 YYYY-MM、YYYYQn 或 YYYY）");
}
