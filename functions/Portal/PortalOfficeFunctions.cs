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
using BaiQianWan.Assess.Portal.Models;
using BaiQianWan.Assess.Workflow.Imports;
using Microsoft.Azure.Functions.Worker;
using System.Globalization;
using System.Security.Cryptography;

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
    [Page(Right.Office)]
    public Task<IResult> Uploads([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "office/uploads")] HttpRequest request) =>
        portal.ServeAsync(request, async (http, user) =>
            await portal.PageAsync<UploadsPage>(http, await pages.UploadsAsync(portal.Frame(http, user), new UploadsState(), http.RequestAborted,
                imported: request.Query["batch"].ToString() is { Length: > 0 } batch ? batch : null)));

    /// <summary><c>POST /office/uploads/units</c>: a year's units (CSV or XLSX).</summary>
    [Function("PortalUploadUnits")]
    [Access(Policies.Portal)]
    [Page(Right.Office)]
    public Task<IResult> UploadUnits([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "office/uploads/units")] HttpRequest request, CancellationToken ct) =>
        portal.PostAsync(request, ct, async (http, user, form) =>
        {
            var year = form["year"].ToString().Trim();
            var state = new UploadsState(Year: int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is >= 1900 and <= 9999 ? y : null);
            return await UploadAsync(http, user, form, "units", "", state, async (content, fileName) =>
            {
                if (state.Year is not { } chosen) throw new PortalException(StatusCodes.Status400BadRequest, $"年度应为四位数字，这里是 '{year}'");
                // A file that would drop units stored runs used, or leave the year empty, goes in only with the box ticked (the CLI's --replace-all).
                return await service.ImportUnitsAsync(chosen, content, fileName, user.Name, replaceAll: form["replaceAll"] == "true", ct);
            }, ct);
        });

    /// <summary>
    /// <c>POST /office/uploads/observations</c>: a period's observations (CSV or XLSX); rows of another period are refused. With
    /// 按文件中各行的期间导入 ticked (or no period), the file is checked and what it would import is shown per period, to be confirmed.
    /// </summary>
    [Function("PortalUploadObservations")]
    [Access(Policies.Portal)]
    [Page(Right.Office)]
    public Task<IResult> UploadObservations([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "office/uploads/observations")] HttpRequest request,
        CancellationToken ct) =>
        portal.PostAsync(request, ct, async (http, user, form) =>
        {
            var typed = form["period"].ToString().Trim();
            var every = form["allPeriods"] == "true" || typed.Length == 0;
            var state = new UploadsState(Period: typed.Length > 0 ? typed : null);
            if (every)
            {
                try
                {
                    var (content, fileName) = await ReadFileAsync(form, ct);
                    return await PreviewAsync(http, user, content, fileName, state, ct);
                }
                catch (PortalException e)
                {
                    return await portal.PageAsync<UploadsPage>(http, await pages.UploadsAsync(portal.Frame(http, user, e.Message), state, ct), FormRefusal(e));
                }
            }
            return await UploadAsync(http, user, form, "observations", typed, state,
                (content, fileName) => service.ImportObservationsAsync(content, fileName, user.Name, PortalUnitFunctions.ParsePeriod(typed), ct), ct);
        });

    /// <summary><c>POST /office/uploads/observations/preview</c>: a refused file (brought back by its page) previewed for every period it holds.</summary>
    [Function("PortalUploadPreview")]
    [Access(Policies.Portal)]
    [Page(Right.Office)]
    public Task<IResult> UploadPreview([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "office/uploads/observations/preview")] HttpRequest request,
        CancellationToken ct) =>
        portal.PostAsync(request, ct, async (http, user, form) =>
        {
            var (stage, content) = UploadStages.Read(f => form[f].ToString());
            return await PreviewAsync(http, user, content, stage.FileName, new UploadsState(Period: stage.Period.Length > 0 ? stage.Period : null), ct);
        }, UploadStages.MaxDataLength);

    /// <summary>
    /// <c>POST /office/uploads/observations/confirm</c>: the previewed file (brought back by the preview page, with the SHA-256 the
    /// preview showed) imported with every period it holds; checked again in full, all or nothing.
    /// </summary>
    [Function("PortalUploadConfirm")]
    [Access(Policies.Portal)]
    [Page(Right.Office)]
    public Task<IResult> UploadConfirm([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "office/uploads/observations/confirm")] HttpRequest request,
        CancellationToken ct) =>
        portal.PostAsync(request, ct, async (http, user, form) =>
        {
            var (stage, content) = UploadStages.Read(f => form[f].ToString());
            if (stage.Kind != "observations" || !string.Equals(form["sha256"], Convert.ToHexStringLower(SHA256.HashData(content)), StringComparison.Ordinal))
                throw new PortalException(StatusCodes.Status400BadRequest, "确认的文件与预览的文件不同，未作处理；请重新上传文件");
            var state = new UploadsState(Period: stage.Period.Length > 0 ? stage.Period : null);
            return await UploadAsync(http, user, form, "observations", "", state,
                (_, fileName) => service.ImportObservationsAsync(content, fileName, user.Name, null, ct), ct, (content, stage.FileName));
        }, UploadStages.MaxDataLength);

    /// <summary>
    /// <c>POST /office/uploads/errors</c>: every error of a refused file (brought back by its page) as CSV, checked again as the
    /// upload checked it; nothing is written.
    /// </summary>
    [Function("PortalUploadErrors")]
    [Access(Policies.Portal)]
    [Page(Right.Office)]
    public Task<IResult> UploadErrors([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "office/uploads/errors")] HttpRequest request,
        CancellationToken ct) =>
        portal.PostAsync(request, ct, async (_, _, form) =>
        {
            var (stage, content) = UploadStages.Read(f => form[f].ToString());
            var period = stage.Kind == "observations" && stage.Period.Length > 0 ? PortalUnitFunctions.ParsePeriod(stage.Period) : (Period?)null;
            var errors = await service.Imports.ErrorsAsync(stage.Kind == "units" ? ImportKind.Units : ImportKind.Observations, content, stage.FileName, period, ct);
            var name = Path.GetFileNameWithoutExtension(UploadNames.Of(stage.FileName));
            return Results.File(ImportErrorReport.Csv(errors), "text/csv; charset=utf-8", $"{name}-errors.csv");
        }, UploadStages.MaxDataLength);

    /// <summary><c>GET /office/runs</c>.</summary>
    [Function("PortalRuns")]
    [Access(Policies.Portal)]
    [Page(Right.Office)]
    public Task<IResult> Runs([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "office/runs")] HttpRequest request) =>
        portal.ServeAsync(request, async (http, user) =>
            await portal.PageAsync<RunsPage>(http, await pages.RunsAsync(portal.Frame(http, user), http.RequestAborted)));

    /// <summary><c>POST /office/runs</c>: evaluates a period with a ruleset's active version; then its page shows the progress.</summary>
    [Function("PortalRunStart")]
    [Access(Policies.Portal)]
    [Page(Right.Office)]
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
        });

    /// <summary><c>GET /office/runs/{id}</c>: progress, rankings to review, publish.</summary>
    [Function("PortalRun")]
    [Access(Policies.Portal)]
    [Page(Right.Office)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "office/runs/{id}")] HttpRequest request, string id) =>
        portal.ServeAsync(request, async (http, user) =>
            await pages.IsMonthRunAsync(id, http.RequestAborted)
                ? await portal.PageAsync<MonthReviewPage>(http, await pages.MonthReviewAsync(portal.Frame(http, user), id,
                    http.Request.Query["class"].ToString(), http.Request.Query["light"].ToString(), http.RequestAborted))
                : await portal.PageAsync<RunPage>(http, await pages.RunAsync(portal.Frame(http, user), id, http.RequestAborted)));

    /// <summary><c>GET /office/runs/{id}/progress</c>: JSON for the page's script.</summary>
    [Function("PortalRunProgress")]
    [Access(Policies.Portal)]
    [Page(Right.Office, Script = true)]
    public async Task<IResult> Progress([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "office/runs/{id}/progress")] HttpRequest request, string id)
    {
        var http = request.HttpContext;
        // JSON for a script: the gate answers a bare 401 for nobody, 403 for a signed-in caller of another role (Script).
        try
        {
            return Results.Json(await pages.RunProgressAsync(id, http.RequestAborted));
        }
        catch (PortalException e)
        {
            return Results.StatusCode(e.Status);
        }
    }

    /// <summary>
    /// <c>POST /office/runs/{id}/publish</c>: <c>mode</c> <c>notice</c> publishes provisionally (公示) for <c>days</c> calendar
    /// days, anything else (or none) finally; a correction run published replaces the period's provisional publication.
    /// </summary>
    [Function("PortalPublish")]
    [Access(Policies.Portal)]
    [Page(Right.Office)]
    public Task<IResult> Publish([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "office/runs/{id}/publish")] HttpRequest request, string id,
        CancellationToken ct) =>
        portal.PostAsync(request, ct, async (_, user, form) =>
        {
            if (form["mode"] == "notice")
            {
                var typed = form["days"].ToString().Trim();
                if (!int.TryParse(typed, NumberStyles.None, CultureInfo.InvariantCulture, out var days))
                    throw new PortalException(StatusCodes.Status422UnprocessableEntity, $"公示天数应为 1–{BaiQianWan.Assess.Workflow.Reviews.Notice.MaxDays} 的整数，这里是“{typed}”");
                var reviews = service.Reviews ?? throw new StoreException(StoreError.Conflict, "这个存储不支持公示和复核");
                await reviews.PublishAsync(id, AccessPolicy.ReviewActorOf(user) ?? throw PortalException.Forbidden(), days, cancellationToken: ct);
                return PortalHttp.Done(PortalUrls.Run(id), "noticed");
            }
            await service.PublishAsync(id, user.Name, ct);
            return PortalHttp.Done(PortalUrls.Run(id), "published");
        });

    /// <summary><c>GET /office/audit?actor=&amp;action=&amp;text=</c>.</summary>
    [Function("PortalAudit")]
    [Access(Policies.Portal)]
    [Page(Right.Office)]
    public Task<IResult> Audit([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "office/audit")] HttpRequest request) =>
        portal.ServeAsync(request, async (http, user) =>
        {
            var q = request.Query;
            return await portal.PageAsync<AuditPage>(http, await pages.AuditAsync(portal.Frame(http, user), q["actor"], q["action"], q["text"], http.RequestAborted));
        });

    /// <summary><c>GET /office/accounts</c>.</summary>
    [Function("PortalAccounts")]
    [Access(Policies.Portal)]
    [Page(Right.Office)]
    public Task<IResult> Accounts([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "office/accounts")] HttpRequest request) =>
        portal.ServeAsync(request, async (http, user) =>
            await portal.PageAsync<AccountsPage>(http, await pages.AccountsAsync(portal.Frame(http, user), null, null, http.RequestAborted)));

    /// <summary><c>POST /office/accounts</c>: a new account; its one-time password is shown once.</summary>
    [Function("PortalAccountCreate")]
    [Access(Policies.Portal)]
    [Page(Right.Office)]
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
        });

    /// <summary><c>POST /office/accounts/{name}/{action}</c>: disable, enable or reset (a new one-time password, shown once).</summary>
    [Function("PortalAccountChange")]
    [Access(Policies.Portal)]
    [Page(Right.Office)]
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
        });

    /// <summary>The form's file and its name; none is a refusal.</summary>
    private static async Task<(byte[] Content, string FileName)> ReadFileAsync(IFormCollection form, CancellationToken ct)
    {
        if (form.Files.GetFile("file") is not { Length: > 0 } file) throw new PortalException(StatusCodes.Status400BadRequest, "请选择要上传的文件");
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        return (buffer.ToArray(), Path.GetFileName(file.FileName));
    }

    /// <summary>The preview of a file for every period it holds, with the file carried to its confirmation; a bad file is refused as an import would be.</summary>
    private async Task<IResult> PreviewAsync(HttpContext http, PortalUser user, byte[] content, string fileName, UploadsState state, CancellationToken ct)
    {
        try
        {
            var preview = await service.Imports.PreviewObservationsAsync(content, fileName, null, ct);
            var stage = UploadStages.Of("observations", preview.FileName, "", content);
            return await portal.PageAsync<UploadsPage>(http, await pages.UploadsAsync(portal.Frame(http, user), state with { Preview = preview, Stage = stage }, ct));
        }
        catch (InputRejectedException e)
        {
            return await RefusedAsync(http, user, e, state, UploadStages.Of("observations", e.FileName, "", content), ct);
        }
    }

    /// <summary>A refused file's page: its errors grouped and bounded, the file carried for the CSV of them all (422).</summary>
    private async Task<IResult> RefusedAsync(HttpContext http, PortalUser user, InputRejectedException e, UploadsState state, UploadStage? stage, CancellationToken ct) =>
        await portal.PageAsync<UploadsPage>(http, await pages.UploadsAsync(portal.Frame(http, user), state with { Rejected = ImportErrorReport.Of(e), Stage = stage }, ct),
            StatusCodes.Status422UnprocessableEntity);

    /// <summary>
    /// An upload: the file read from the form (or given, for a confirmation), imported, and the page answering with what was
    /// written; a refused file shows its errors with the period or year chosen kept, and is carried for its CSV of errors.
    /// </summary>
    private async Task<IResult> UploadAsync(HttpContext http, PortalUser user, IFormCollection form, string kind, string period, UploadsState state,
        Func<byte[], string, Task<ImportOutcome>> import, CancellationToken ct, (byte[] Content, string FileName)? given = null)
    {
        byte[] content = [];
        var fileName = "";
        try
        {
            (content, fileName) = given ?? await ReadFileAsync(form, ct);
            var outcome = await import(content, fileName);
            await StoreSetup.SweepAfterImportAsync(service, outcome, http.RequestServices, ct);
            // The page names what the batch wrote (its rows per period), from the store, by the batch's id.
            return PortalHttp.Done(PortalUrls.Uploads, outcome.AlreadyImported ? "same" : kind, ("batch", outcome.Batch.Id));
        }
        catch (InputRejectedException e)
        {
            return await RefusedAsync(http, user, e, state, e is InputTooLargeException ? null : UploadStages.Of(kind, e.FileName, period, content), ct);
        }
        catch (Exception e) when (e is StoreException or PortalException)
        {
            return await portal.PageAsync<UploadsPage>(http, await pages.UploadsAsync(portal.Frame(http, user, e.Message), state, ct), FormRefusal(e));
        }
    }

    /// <summary>
    /// The status of a form shown again with a refusal: a store's refusal has the API's status for it (<see cref="StoreStatus"/>:
    /// a taken name or a run already going is 409, an invalid field 422); the page's own refusals 422.
    /// </summary>
    private static int FormRefusal(Exception e) => e is StoreException store ? StoreStatus.Of(store.Error) : StatusCodes.Status422UnprocessableEntity;
}
