using System.Globalization;
using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Http;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Portal.Building;
using BaiQianWan.Assess.Portal.Pages;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using Microsoft.Azure.Functions.Worker;

namespace BaiQianWan.Assess.Functions.Portal;

/// <summary>
/// The rule author's pages (the office has them too): rulesets and versions, the YAML editor checked by the server's
/// validator, saving a new version, a preview beside the active version, the diff between versions and (office) activation.
/// </summary>
public sealed class PortalRulesetFunctions(PortalHttp portal, PortalPages pages, AssessmentService service)
{
    /// <summary><c>GET /rulesets</c>.</summary>
    [Function("PortalRulesets")]
    [Access(Policies.Portal)]
    [Page(Right.Rulesets)]
    public Task<IResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rulesets")] HttpRequest request) =>
        portal.ServeAsync(request, async (http, user) =>
            await portal.PageAsync<RulesetsPage>(http, await pages.RulesetsAsync(user, portal.Frame(http, user), http.RequestAborted)));

    /// <summary><c>GET /rulesets/new</c>: the editor on a new ruleset.</summary>
    [Function("PortalRulesetNew")]
    [Access(Policies.Portal)]
    [Page(Right.Rulesets)]
    public Task<IResult> New([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rulesets/new")] HttpRequest request) =>
        portal.ServeAsync(request, async (http, user) =>
            await portal.PageAsync<EditorPage>(http, await pages.EditorAsync(user, portal.Frame(http, user), null, null, http.RequestAborted)));

    /// <summary><c>GET /rulesets/{id}/{version}/edit</c>: the editor on a stored version.</summary>
    [Function("PortalRulesetEdit")]
    [Access(Policies.Portal)]
    [Page(Right.Rulesets)]
    public Task<IResult> Edit([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rulesets/{id}/{version:int}/edit")] HttpRequest request,
        string id, int version) =>
        portal.ServeAsync(request, async (http, user) =>
            await portal.PageAsync<EditorPage>(http, await pages.EditorAsync(user, portal.Frame(http, user), id, version, http.RequestAborted)));

    /// <summary><c>POST /rulesets/check</c>: the editor with the validator's errors (works without the script).</summary>
    [Function("PortalRulesetCheck")]
    [Access(Policies.Portal)]
    [Page(Right.Rulesets)]
    public Task<IResult> Check([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rulesets/check")] HttpRequest request, CancellationToken ct) =>
        portal.PostAsync(request, ct, async (http, user, form) =>
        {
            var (yaml, id, version) = Fields(form);
            var model = pages.Checked(user, portal.Frame(http, user), yaml, id, version);
            return await portal.PageAsync<EditorPage>(http, model, model.Errors.Count > 0 ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status200OK);
        });

    /// <summary><c>POST /rulesets/validate</c>: the validator's errors and a valid text's warnings as JSON, for the editor's script while the author types.</summary>
    [Function("PortalRulesetValidate")]
    [Access(Policies.Portal)]
    [Page(Right.Rulesets, Script = true)]
    public async Task<IResult> Validate([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rulesets/validate")] HttpRequest request, CancellationToken ct)
    {
        var http = request.HttpContext;
        // The gate answers a bare 401 for nobody, 403 for a caller of another role (Script).
        var user = await portal.UserAsync(http);
        var (form, bad) = await portal.FormAsync(http, user, ct);
        if (form is null) return bad!;
        if (!portal.FormIsGenuine(http, user, form)) return Results.StatusCode(StatusCodes.Status400BadRequest);
        var (found, warned) = PortalPages.Check(form["yaml"].ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
        var errors = found.Select(e => new { file = e.File, line = e.Row, column = e.Column, length = e.Length, code = e.Code, message = e.Message });
        var warnings = warned.Select(e => new { file = e.File, line = e.Row, column = e.Column, message = e.Message });
        return Results.Json(new { errors, warnings });
    }

    /// <summary><c>POST /rulesets/save</c>: stores the text as the next version of its id (not activated), then previews it.</summary>
    [Function("PortalRulesetSave")]
    [Access(Policies.Portal)]
    [Page(Right.Rulesets)]
    public Task<IResult> Save([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rulesets/save")] HttpRequest request, CancellationToken ct) =>
        portal.PostAsync(request, ct, async (http, user, form) =>
        {
            var (yaml, id, version) = Fields(form);
            try
            {
                var saved = await service.AddRulesetAsync(yaml, PortalPages.EditorFileName, user.Name, ct);
                return PortalHttp.Done(PortalUrls.Preview(saved.RulesetId, saved.Version), "saved");
            }
            catch (InputRejectedException)
            {
                var model = pages.Checked(user, portal.Frame(http, user, "有错误，未保存"), yaml, id, version);
                return await portal.PageAsync<EditorPage>(http, model, StatusCodes.Status422UnprocessableEntity);
            }
            catch (StoreException e)
            {
                var model = pages.Checked(user, portal.Frame(http, user, e.Message), yaml, id, version);
                return await portal.PageAsync<EditorPage>(http, model, StatusCodes.Status409Conflict);
            }
        });

    /// <summary><c>GET /rulesets/{id}/{version}/preview?period=</c>.</summary>
    [Function("PortalRulesetPreview")]
    [Access(Policies.Portal)]
    [Page(Right.Rulesets)]
    public Task<IResult> Preview([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rulesets/{id}/{version:int}/preview")] HttpRequest request,
        string id, int version) =>
        portal.ServeAsync(request, async (http, user) =>
        {
            var periodText = request.Query["period"].ToString().Trim();
            var period = periodText.Length == 0 ? (Rules.Data.Period?)null : PortalUnitFunctions.ParsePeriod(periodText);
            return await portal.PageAsync<PreviewPage>(http, await pages.PreviewAsync(user, portal.Frame(http, user), id, version, period, http.RequestAborted));
        });

    /// <summary><c>GET /rulesets/{id}/diff?from=&amp;to=</c>.</summary>
    [Function("PortalRulesetDiff")]
    [Access(Policies.Portal)]
    [Page(Right.Rulesets)]
    public Task<IResult> Diff([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rulesets/{id}/diff")] HttpRequest request, string id) =>
        portal.ServeAsync(request, async (http, user) =>
        {
            var from = Version(request.Query["from"]);
            var to = Version(request.Query["to"]);
            return await portal.PageAsync<DiffPage>(http, await pages.DiffAsync(user, portal.Frame(http, user), id, from, to, http.RequestAborted));
        });

    /// <summary><c>POST /rulesets/{id}/{version}/activate</c> (office).</summary>
    [Function("PortalRulesetActivate")]
    [Access(Policies.Portal)]
    [Page(Right.Office)]
    public Task<IResult> Activate([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rulesets/{id}/{version:int}/activate")] HttpRequest request,
        string id, int version, CancellationToken ct) =>
        portal.PostAsync(request, ct, async (_, user, form) =>
        {
            // One active ruleset per level: the page's 启用并替换 button says explicitly that the other one goes.
            await service.ActivateRulesetAsync(id, version, user.Name, replace: form["replace"] == "true", ct);
            return PortalHttp.Done(PortalUrls.Rulesets, "activated");
        });

    /// <summary><c>POST /rulesets/{id}/deactivate</c> (office): the ruleset keeps its versions but no longer counts for its level.</summary>
    [Function("PortalRulesetDeactivate")]
    [Access(Policies.Portal)]
    [Page(Right.Office)]
    public Task<IResult> Deactivate([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rulesets/{id}/deactivate")] HttpRequest request,
        string id, CancellationToken ct) =>
        portal.PostAsync(request, ct, async (_, user, _) =>
        {
            await service.DeactivateRulesetAsync(id, user.Name, ct);
            return PortalHttp.Done(PortalUrls.Rulesets, "deactivated");
        });

    /// <summary>
    /// <c>GET /office/template?period=&amp;ruleset=</c>: the uploads page's template form, the XLSX of the ruleset's active
    /// version. A period that cannot have one (no units that year, not a period) stays in the portal: the uploads page
    /// with the reason, in Chinese.
    /// </summary>
    [Function("PortalTemplate")]
    [Access(Policies.Portal)]
    [Page(Right.Office)]
    public Task<IResult> Template([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "office/template")] HttpRequest request) =>
        portal.ServeAsync(request, async (http, user) =>
        {
            var periodText = request.Query["period"].ToString().Trim();
            var rulesetId = request.Query["ruleset"].ToString().Trim();
            try
            {
                if (!Period.TryParse(periodText, out var period))
                    throw new PortalException(StatusCodes.Status422UnprocessableEntity, $"'{periodText}' 不是期间（应为 YYYY-MM、YYYYQn 或 YYYY，如 2025-06、2025Q3）");
                var bytes = await service.TemplateAsync(period, rulesetId, null, http.RequestAborted);
                return Downloads.File(http, bytes, Downloads.Sha256(bytes), Downloads.Xlsx, $"template-{period}-{rulesetId}.xlsx", $"{period}-{rulesetId}-数据填报模板.xlsx");
            }
            catch (Exception e) when (e is StoreException or PortalException)
            {
                return await portal.PageAsync<UploadsPage>(http, await pages.UploadsAsync(portal.Frame(http, user, $"无法生成填报模板：{e.Message}"),
                    new BaiQianWan.Assess.Portal.Models.UploadsState(Period: periodText.Length > 0 ? periodText : null), http.RequestAborted),
                    StatusCodes.Status422UnprocessableEntity);
            }
        });



    private static (string Yaml, string? Id, int? Version) Fields(IFormCollection form)
    {
        var yaml = form["yaml"].ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
        var id = form["rulesetId"].ToString() is { Length: > 0 } i ? i : null;
        int? version = int.TryParse(form["baseVersion"], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
        return (yaml, id, version);
    }

    private static int Version(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : throw PortalException.NotFound($"'{text}' 不是版本号");
}
