using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Hosting;
using BaiQianWan.Assess.Functions.Http;
using BaiQianWan.Assess.Functions.Runs;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Portal.Building;
using BaiQianWan.Assess.Portal.Pages;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Runs;
using Microsoft.Azure.Functions.Worker;

namespace BaiQianWan.Assess.Functions.Portal;

/// <summary>
/// The office's pages: uploads (rejected rows listed, nothing written), evaluations with progress, review and publish,
/// the audit log, accounts. Thin adapters over the workflow (<see cref="AssessmentService"/>) and <see cref="PortalPages"/>.
/// </summary>
public sealed class PortalOfficeFunctions(PortalHttp portal, PortalPages pages, AssessmentService service, IRunCarrier carrier, AccountAdmin admin)
{
    /// <summary><c>GET /office/uploads</c>.</summary>
    [Function("PortalUploads")]
    [Access(Policies.Portal)]
    public Task<IResult> Uploads([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "office/uploads")] HttpRequest request) =>
        portal.ServeAsync(request, async (http, user) =>
            await portal.PageAsync<UploadsPage>(http, await pages.UploadsAsync(portal.Frame(http, user), null, http.RequestAborted,
                imported: request.Query["batch"].ToString() is { Length: > 0 } batch ? batch : null)), Right.Office);

    /// <summary><c>POST /office/uploads/units</c>: a year's units (CSV or XLSX).</summary>
    [Function("PortalUploadUnits")]
    [Access(Policies.Portal)]
    public Task<IResult> UploadUnits([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "office/uploads/units")] HttpRequest request, CancellationToken ct) =>
        UploadAsync(request, "units", async (form, content, fileName, actor) =>
        {
            if (!int.TryParse(form["year"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var year) || year is < 1900 or > 9999)
                throw new PortalException(StatusCodes.Status400BadRequest, $"年度应为四位数字，这里是 '{form["year"]}'");
            // A file that would drop units stored runs used, or leave the year empty, goes in only with the box ticked (the CLI's --replace-all).
            return await service.ImportUnitsAsync(year, content, fileName, actor, replaceAll: form["replaceAll"] == "true", ct);
        }, ct);

    /// <summary><c>POST /office/uploads/observations</c>: a period's observations (CSV or XLSX); rows of another period are refused.</summary>
    [Function("PortalUploadObservations")]
    [Access(Policies.Portal)]
    public Task<IResult> UploadObservations([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "office/uploads/observations")] HttpRequest request,
        CancellationToken ct) =>
        UploadAsync(request, "observations", async (form, content, fileName, actor) =>
        {
            var period = PortalUnitFunctions.ParsePeriod(form["period"].ToString().Trim());
            return await service.ImportObservationsAsync(content, fileName, actor, period, ct);
        }, ct);

    /// <summary><c>GET /office/runs</c>.</summary>
    [Function("PortalRuns")]
    [Access(Policies.Portal)]
    public Task<IResult> Runs([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "office/runs")] HttpRequest request) =>
        portal.ServeAsync(request, async (http, user) =>
            await portal.PageAsync<RunsPage>(http, await pages.RunsAsync(portal.Frame(http, user), http.RequestAborted)), Right.Office);

    /// <summary><c>POST /office/runs</c>: evaluates a period with a ruleset's active version; then its page shows the progress.</summary>
    [Function("PortalRunStart")]
    [Access(Policies.Portal)]
    public Task<IResult> Start([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "office/runs")] HttpRequest request, CancellationToken ct) =>
        portal.PostAsync(request, ct, async (http, user, form) =>
        {
            try
            {
                var period = PortalUnitFunctions.ParsePeriod(form["period"].ToString().Trim());
                var rulesetId = form["ruleset"].ToString();
                var active = await service.GetRulesetAsync(rulesetId, null, ct);
                // One call into the run use case (stranded runs failed first, as for the API, the timer and the CLI); a run
                // that failed while it was handed over shows its reason on its page.
                var run = (await service.Runs.StartAsync(new RunAsk(period, active.Level, rulesetId, active.Version, user.Name), carrier, ct)).Run;
                return Results.Redirect(PortalUrls.Run(run.Id));
            }
            catch (Exception e) when (e is StoreException or PortalException)
            {
                return await portal.PageAsync<RunsPage>(http, await pages.RunsAsync(portal.Frame(http, user, e.Message), ct), FormRefusal(e));
            }
        }, Right.Office);

    /// <summary><c>GET /office/runs/{id}</c>: progress, rankings to review, publish.</summary>
    [Function("PortalRun")]
    [Access(Policies.Portal)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "office/runs/{id}")] HttpRequest request, string id) =>
        portal.ServeAsync(request, async (http, user) =>
            await portal.PageAsync<RunPage>(http, await pages.RunAsync(portal.Frame(http, user), id, http.RequestAborted)), Right.Office);

    /// <summary><c>GET /office/runs/{id}/progress</c>: JSON for the page's script.</summary>
    [Function("PortalRunProgress")]
    [Access(Policies.Portal)]
    public async Task<IResult> Progress([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "office/runs/{id}/progress")] HttpRequest request, string id)
    {
        var http = request.HttpContext;
        // JSON for a script: a bare status, 401 for nobody, 403 for a signed-in caller of another role.
        var (user, stop) = await portal.RequireAsync(http, Right.Office);
        if (stop is not null)
            return Results.StatusCode(await portal.UserAsync(http) is null ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden);
        try
        {
            return Results.Json(await pages.RunProgressAsync(id, http.RequestAborted));
        }
        catch (PortalException e)
        {
            return Results.StatusCode(e.Status);
        }
    }

    /// <summary><c>POST /office/runs/{id}/publish</c>.</summary>
    [Function("PortalPublish")]
    [Access(Policies.Portal)]
    public Task<IResult> Publish([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "office/runs/{id}/publish")] HttpRequest request, string id,
        CancellationToken ct) =>
        portal.PostAsync(request, ct, async (_, user, _) =>
        {
            await service.PublishAsync(id, user.Name, ct);
            return PortalHttp.Done(PortalUrls.Run(id), "published");
        }, Right.Office);

    /// <summary><c>GET /office/audit?actor=&amp;action=&amp;text=</c>.</summary>
    [Function("PortalAudit")]
    [Access(Policies.Portal)]
    public Task<IResult> Audit([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "office/audit")] HttpRequest request) =>
        portal.ServeAsync(request, async (http, user) =>
        {
            var q = request.Query;
            return await portal.PageAsync<AuditPage>(http, await pages.AuditAsync(portal.Frame(http, user), q["actor"], q["action"], q["text"], http.RequestAborted));
        }, Right.Office);

    /// <summary><c>GET /office/accounts</c>.</summary>
    [Function("PortalAccounts")]
    [Access(Policies.Portal)]
    public Task<IResult> Accounts([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "office/accounts")] HttpRequest request) =>
        portal.ServeAsync(request, async (http, user) =>
            await portal.PageAsync<AccountsPage>(http, await pages.AccountsAsync(portal.Frame(http, user), null, null, http.RequestAborted)), Right.Office);

    /// <summary><c>POST /office/accounts</c>: a new account; its one-time password is shown once.</summary>
    [Function("PortalAccountCreate")]
    [Access(Policies.Portal)]
    public Task<IResult> CreateAccount([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "office/accounts")] HttpRequest request, CancellationToken ct) =>
        portal.PostAsync(request, ct, async (http, user, form) =>
        {
            try
            {
                if (!AccountRoles.TryParse(form["role"], out var role)) throw new StoreException(StoreError.Invalid, "角色应为 office、author 或 unit");
                var (account, password) = await admin.CreateAsync(form["name"].ToString(), form["displayName"].ToString(), role,
                    role == AccountRole.Unit ? form["unit"].ToString() : null, user.Name, ct);
                return await portal.PageAsync<AccountsPage>(http, await pages.AccountsAsync(portal.Frame(http, user), account.Name, password, ct));
            }
            catch (StoreException e)
            {
                return await portal.PageAsync<AccountsPage>(http, await pages.AccountsAsync(portal.Frame(http, user, e.Message), null, null, ct),
                    FormRefusal(e));
            }
        }, Right.Office);

    /// <summary><c>POST /office/accounts/{name}/{action}</c>: disable, enable or reset (a new one-time password, shown once).</summary>
    [Function("PortalAccountChange")]
    [Access(Policies.Portal)]
    public Task<IResult> ChangeAccount([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "office/accounts/{name}/{action}")] HttpRequest request,
        string name, string action, CancellationToken ct) =>
        portal.PostAsync(request, ct, async (http, user, _) =>
        {
            switch (action)
            {
                case "disable" or "enable":
                    if (action == "disable" && AccountNames.Normalize(name) == user.Name)
                        throw new PortalException(StatusCodes.Status409Conflict, "不能停用自己正在使用的账户");
                    await admin.SetEnabledAsync(name, action == "enable", user.Name, ct);
                    return PortalHttp.Done(PortalUrls.Accounts, $"{action}d");
                case "reset":
                    var password = await admin.ResetAsync(name, user.Name, ct);
                    return await portal.PageAsync<AccountsPage>(http, await pages.AccountsAsync(portal.Frame(http, user), AccountNames.Normalize(name), password, ct));
                default:
                    throw PortalException.NotFound($"没有操作 {action}");
            }
        }, Right.Office);

    private Task<IResult> UploadAsync(HttpRequest request, string kind, Func<IFormCollection, byte[], string, string, Task<ImportOutcome>> import,
        CancellationToken ct) =>
        portal.PostAsync(request, ct, async (http, user, form) =>
        {
            try
            {
                if (form.Files.GetFile("file") is not { Length: > 0 } file) throw new PortalException(StatusCodes.Status400BadRequest, "请选择要上传的文件");
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer, ct);
                var outcome = await import(form, buffer.ToArray(), Path.GetFileName(file.FileName), user.Name);
                await StoreSetup.SweepAfterImportAsync(service, outcome, http.RequestServices, ct);
                // The page names what the batch wrote (its rows per period), from the store, by the batch's id.
                return PortalHttp.Done(PortalUrls.Uploads, outcome.AlreadyImported ? "same" : kind, ("batch", outcome.Batch.Id));
            }
            catch (InputRejectedException e)
            {
                return await portal.PageAsync<UploadsPage>(http, await pages.UploadsAsync(portal.Frame(http, user), e, ct), StatusCodes.Status422UnprocessableEntity);
            }
            catch (Exception e) when (e is StoreException or PortalException)
            {
                return await portal.PageAsync<UploadsPage>(http, await pages.UploadsAsync(portal.Frame(http, user, e.Message), null, ct), FormRefusal(e));
            }
        }, Right.Office);

    /// <summary>
    /// The status of a form shown again with a refusal: a store's refusal has the API's status for it (<see cref="StoreStatus"/>:
    /// a taken name or a run already going is 409, an invalid field 422); the page's own refusals 422.
    /// </summary>
    private static int FormRefusal(Exception e) => e is StoreException store ? StoreStatus.Of(store.Error) : StatusCodes.Status422UnprocessableEntity;
}
