using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Functions.Http;
using BaiQianWan.Assess.Portal.Building;
using BaiQianWan.Assess.Portal.Pages;
using BaiQianWan.Assess.Store;
using Microsoft.Azure.Functions.Worker;

namespace BaiQianWan.Assess.Functions.Portal;

/// <summary>
/// The office's review of a run before (and after) publishing: the run's own scorecards and bulletins, pages and PDFs,
/// under the run's address. Office only; a unit reads published results under <c>/units/…</c>.
/// </summary>
public sealed class PortalReviewFunctions(PortalHttp portal, PortalPages pages)
{
    /// <summary><c>GET /office/runs/{id}/units/{code}</c>: a unit's scorecard in this run.</summary>
    [Function("PortalRunScorecard")]
    [Access(Policies.Portal)]
    [Page(Right.Office)]
    public Task<IResult> Scorecard([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "office/runs/{id}/units/{code}")] HttpRequest request,
        string id, string code) =>
        portal.ServeAsync(request, async (http, user) =>
            await portal.PageAsync<ScorecardPage>(http, await pages.RunScorecardAsync(user, portal.Frame(http, user), id, code, http.RequestAborted)));

    /// <summary><c>GET /office/runs/{id}/units/{code}/pdf</c>.</summary>
    [Function("PortalRunScorecardPdf")]
    [Access(Policies.Portal)]
    [Page(Right.Office)]
    public Task<IResult> ScorecardPdf([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "office/runs/{id}/units/{code}/pdf")] HttpRequest request,
        string id, string code) => PdfAsync(request, id, DocumentKind.Scorecard, code);

    /// <summary><c>GET /office/runs/{id}/bulletins/{class}</c>: a class's bulletin in this run.</summary>
    [Function("PortalRunBulletin")]
    [Access(Policies.Portal)]
    [Page(Right.Office)]
    public Task<IResult> Bulletin([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "office/runs/{id}/bulletins/{class}")] HttpRequest request,
        string id, string @class) =>
        portal.ServeAsync(request, async (http, user) =>
            await portal.PageAsync<BulletinPage>(http, await pages.RunBulletinAsync(user, portal.Frame(http, user), id, @class, http.RequestAborted)));

    /// <summary><c>GET /office/runs/{id}/bulletins/{class}/pdf</c>.</summary>
    [Function("PortalRunBulletinPdf")]
    [Access(Policies.Portal)]
    [Page(Right.Office)]
    public Task<IResult> BulletinPdf([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "office/runs/{id}/bulletins/{class}/pdf")] HttpRequest request,
        string id, string @class) => PdfAsync(request, id, DocumentKind.Bulletin, @class);

    private Task<IResult> PdfAsync(HttpRequest request, string id, DocumentKind kind, string key) =>
        portal.ServeAsync(request, async (http, user) =>
        {
            var (document, run) = await pages.RunDocumentAsync(user, id, kind, key, http.RequestAborted);
            var scorecard = kind == DocumentKind.Scorecard;
            // ASCII fallback name: the run and the kind (a class is Chinese); the UTF-8 name says what it is.
            return Downloads.File(http, document.Content, document.Sha256, Downloads.Pdf, $"{run.Period}-{run.Id}-{(scorecard ? $"{key}-scorecard" : "bulletin")}.pdf",
                $"{run.Period}-{key}-{(scorecard ? "考核记分卡" : "排名通报")}（{run.Id}）.pdf");
        });
}
