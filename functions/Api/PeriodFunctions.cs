using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Hosting;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Publications;
using BaiQianWan.Assess.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace BaiQianWan.Assess.Functions.Api;

/// <summary>
/// <c>/api/periods/{period}</c>: published rankings, scorecards, bulletins and archives; the observations import
/// and the template. Only published runs are ever served here.
/// </summary>
public sealed class PeriodFunctions(AssessmentService service, PublishedResults publishedResults)
{
    /// <summary>The published rankings of a level (<c>?level=</c>), optionally of one class (<c>&amp;class=</c>).</summary>
    [Function("Rankings")]
    [Access(Policies.Office)]
    public async Task<IResult> Rankings([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/periods/{period}/rankings")] HttpRequest request,
        string period, CancellationToken ct)
    {
        var http = request.HttpContext;
        var level = request.Query["level"].ToString();
        var @class = request.Query["class"].ToString();
        var p = ApiInput.Period(period);
        var l = ApiInput.Level(ApiInput.Required(level, "level"));
        var publication = await Published(service, p, l, ct);
        var rankings = await publishedResults.RankingsAsync(service, publication.RunId, string.IsNullOrEmpty(@class) ? null : @class, ct)
            ?? throw ApiException.NotFound(string.IsNullOrEmpty(@class)
                ? $"已发布的运行 {publication.RunId} 没有结果"
                : $"{p} {l.ToText()} 的结果中没有类别 {@class}");
        http.Response.Headers["X-Run-Id"] = publication.RunId;
        http.Response.Headers.CacheControl = "private, no-cache";
        return Results.Bytes(rankings.Json, "application/json", entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{rankings.Sha256}\""));
    }

    /// <summary>
    /// The published run of <paramref name="period"/> that scored <paramref name="unitCode"/>, and the unit as that run
    /// recorded it (runs never change, so each run's units are read once). Access is decided before anything is said
    /// about results: another unit's is 403 whether it exists or not; then a unit no published run scored is 404.
    /// </summary>
    private async Task<(Publication Publication, PublishedResults.Unit Unit)> PublishedUnitAsync(HttpContext http, Period period,
        string unitCode, string notFound, CancellationToken ct)
    {
        Publication? publication = null;
        PublishedResults.Unit? unit = null;
        IReadOnlyDictionary<string, PublishedResults.Unit>? scored = null;
        // One read of the publications (the read model), not one per level; each run's units are read once and kept there.
        var ofPeriod = (await publishedResults.PublicationsAsync(service, ct)).Where(p => p.Publication.Period == period).ToDictionary(p => p.Publication.Level, p => p.Publication);
        foreach (var level in Enum.GetValues<UnitLevel>())
        {
            if (!ofPeriod.TryGetValue(level, out var published)) continue;
            var units = await publishedResults.UnitsAsync(service, published.RunId, ct);
            if (!units.TryGetValue(unitCode, out var found)) continue;
            (publication, unit, scored) = (published, found, units);
            break;
        }
        if (!AccessPolicy.MayReadUnit(Caller.Of(http)?.User, unitCode, publication?.Level, scored)) throw ApiException.Forbidden();
        if (publication is null || unit is null) throw ApiException.NotFound(notFound);
        return (publication, unit);
    }

    /// <summary>A unit's published scorecard (PDF): the office any, a unit its own, a county also its towns'.</summary>
    [Function("Scorecard")]
    [Access(Policies.Scorecard)]
    public async Task<IResult> Scorecard([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/periods/{period}/scorecards/{unitCode}.pdf")] HttpRequest request,
        string period, string unitCode, CancellationToken ct)
    {
        var http = request.HttpContext;
        var p = ApiInput.Period(period);
        var (publication, unit) = await PublishedUnitAsync(http, p, unitCode, $"{p} 已发布的结果中没有 {unitCode} 的记分卡", ct);
        var document = await service.ServeDocumentAsync(publication.RunId, DocumentKind.Scorecard, unitCode, ct)
            ?? throw ApiException.NotFound($"{p} 已发布的结果中没有 {unitCode} 的记分卡");
        return Downloads.File(http, document.Content, document.Sha256, Downloads.Pdf, $"{p}-{unitCode}.pdf", $"{p}-{unit.Name}-考核记分卡.pdf");
    }

    /// <summary>
    /// A unit's own rows of the published results as an XLSX 汇总表 (its class sheet row and its figures): the office any
    /// unit's, a unit its own (a county also its towns'), by the scorecard's rule (<see cref="AccessPolicy.MayReadUnit"/>).
    /// </summary>
    [Function("UnitResultsXlsx")]
    [Access(Policies.Scorecard)]
    public async Task<IResult> UnitResultsXlsx([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/periods/{period}/results/{unitCode}.xlsx")] HttpRequest request,
        string period, string unitCode, CancellationToken ct)
    {
        var http = request.HttpContext;
        var p = ApiInput.Period(period);
        var (publication, unit) = await PublishedUnitAsync(http, p, unitCode, $"{p} 已发布的结果中没有 {unitCode}", ct);
        var bytes = await service.UnitResultsWorkbookAsync(publication.RunId, unitCode, ct)
            ?? throw ApiException.NotFound($"{p} 已发布的结果中没有 {unitCode}");
        http.Response.Headers["X-Run-Id"] = publication.RunId;
        return Downloads.File(http, bytes, Downloads.Sha256(bytes), Downloads.Xlsx, $"{p}-{unitCode}-results.xlsx", $"{p}-{unit.Name}-考核结果.xlsx");
    }

    /// <summary>
    /// Every published scorecard of a level (<c>?level=</c>) in one ZIP, assembled from the published run's stored
    /// scorecards as it is streamed (<see cref="BaiQianWan.Assess.Workflow.ScorecardArchive"/>), with its tag as ETag (304
    /// for <c>If-None-Match</c>), its length, and byte ranges.
    /// </summary>
    [Function("ScorecardsZip")]
    [Access(Policies.Office)]
    public async Task<IResult> ScorecardsZip([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/periods/{period}/scorecards.zip")] HttpRequest request,
        string period, CancellationToken ct)
    {
        var http = request.HttpContext;
        var level = request.Query["level"].ToString();
        var p = ApiInput.Period(period);
        var l = ApiInput.Level(ApiInput.Required(level, "level"));
        var publication = await Published(service, p, l, ct);
        var archive = await service.OpenArchiveAsync(publication.RunId, ct);
        http.Response.Headers["X-Run-Id"] = publication.RunId;
        return Downloads.Stream(http, archive, Downloads.Zip, $"{p}-{l.ToText()}-scorecards.zip", $"{p}-{l.ToChinese()}-考核记分卡.zip");
    }

    /// <summary>
    /// A class's published bulletin (PDF): the office any, a unit the bulletin of the class it had in that published run
    /// (<see cref="AccessPolicy"/>, the portal's rule too).
    /// </summary>
    [Function("Bulletin")]
    [Access(Policies.Scorecard)]
    public async Task<IResult> Bulletin([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/periods/{period}/bulletins/{level}/{class}.pdf")] HttpRequest request,
        string period, string level, string @class, CancellationToken ct)
    {
        var http = request.HttpContext;
        var p = ApiInput.Period(period);
        var l = ApiInput.Level(level);
        var publication = await service.GetPublicationAsync(p, l, ct);
        var units = publication is null ? null : await publishedResults.UnitsAsync(service, publication.RunId, ct);
        // Decided before saying anything about results: another class's bulletin is 403 whether it exists or not.
        if (!AccessPolicy.MayReadBulletin(Caller.Of(http)?.User, @class, units)) throw ApiException.Forbidden();
        if (publication is null) throw ApiException.NotFound($"{p} {l.ToText()} 还没有发布的结果");
        var document = await service.ServeDocumentAsync(publication.RunId, DocumentKind.Bulletin, @class, ct)
            ?? throw ApiException.NotFound($"{p} {l.ToText()} 已发布的结果中没有类别 {@class} 的通报");
        return Downloads.File(http, document.Content, document.Sha256, Downloads.Pdf, $"{p}-{l.ToText()}-bulletin.pdf", $"{p}-{l.ToChinese()}-{@class}-考核通报.pdf");
    }

    /// <summary>The XLSX template for a period's observations under a ruleset (<c>?ruleset=&amp;version=&amp;level=</c>).</summary>
    [Function("Template")]
    [Access(Policies.Office)]
    public async Task<IResult> Template([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/periods/{period}/template.xlsx")] HttpRequest request,
        string period, CancellationToken ct)
    {
        var http = request.HttpContext;
        var level = request.Query["level"].ToString();
        var ruleset = request.Query["ruleset"].ToString();
        var versionText = request.Query["version"].ToString();
        int? version = null;
        if (versionText.Length > 0)
            version = int.TryParse(versionText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) && v > 0
                ? v : throw ApiException.BadRequest($"version 应为正整数，这里是 '{versionText}'");
        var p = ApiInput.Period(period);
        var id = ApiInput.Required(ruleset, "ruleset");
        if (!string.IsNullOrEmpty(level))
        {
            var l = ApiInput.Level(level);
            var stored = await service.GetRulesetAsync(id, version, ct);
            if (stored.Level != l)
                throw new ApiException(StatusCodes.Status422UnprocessableEntity, "层级不符", $"规则集 {id}@{stored.Version} 评价的是 {stored.Level.ToText()}，不是 {l.ToText()}");
        }
        var bytes = await service.TemplateAsync(p, id, version, ct);
        return Downloads.File(http, bytes, Downloads.Sha256(bytes), Downloads.Xlsx, $"template-{p}-{id}.xlsx", $"{p}-{id}-数据填报模板.xlsx");
    }

    /// <summary>Imports a period's observations; the body is observations.csv (text/csv) or XLSX, <c>?file=</c> names it.</summary>
    [Function("ObservationsImport")]
    [Access(Policies.Office)]
    public async Task<IResult> ImportObservations([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/periods/{period}/observations")] HttpRequest request,
        string period, CancellationToken ct)
    {
        var http = request.HttpContext;
        var p = ApiInput.Period(period);
        var content = await BodyReader.ReadAsync(http.Request, BodyReader.ImportLimit, ct);
        var fileName = ApiInput.FileName(http.Request, content, "observations");
        // The address names the period: a row of another period is refused rather than written elsewhere.
        return await ImportRefusals.ImportAsync(request, async () =>
        {
            var outcome = await service.ImportObservationsAsync(content, fileName, http.User.Actor(), p, ct);
            await StoreSetup.SweepAfterImportAsync(service, outcome, http.RequestServices, ct);
            return Results.Ok(ImportDto.Of(outcome));
        });
    }

    private static async Task<Publication> Published(AssessmentService service, Period period, UnitLevel level, CancellationToken ct) =>
        await service.GetPublicationAsync(period, level, ct) ?? throw ApiException.NotFound($"{period} {level.ToText()} 还没有发布的结果");
}
