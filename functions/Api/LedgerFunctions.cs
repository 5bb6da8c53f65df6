using System.Globalization;
using System.Text.Json;
using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Http;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow.Ledger;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace BaiQianWan.Assess.Functions.Api;

/// <summary>
/// <c>/api/ledger/…</c>: the task ledger (销号制), thin adapters over <see cref="LedgerService"/>. Who acts is decided once,
/// by the one policy: <see cref="AccessPolicy.LedgerActorOf"/> gives the caller's ledger actor (the office, or a unit's
/// account as its unit; nobody else), and the ledger's rules decide what that actor may do. A refused actor is 403
/// (<see cref="LedgerRefusedException"/>, with the reason); a change the task's state does not allow, a verification by
/// the account that submitted and a change written first by another are 409; a bad file is 422 with every position.
/// </summary>
public sealed class LedgerFunctions(ILedgerStore ledger, IAssessStore store, TimeProvider clock, IOptions<JsonOptions> json)
{
    /// <summary>Most bytes a submission's form may carry: ten files of 20 MB and the note (the API's one evidence form reader's).</summary>
    public const long SubmitLimit = EvidenceForm.Limit;

    private LedgerService Service(HttpRequest request) => new(ledger, store, clock, Settings(request));

    /// <summary><c>PUT /api/ledger/{year}/tasks</c>: imports a year's tasks file (CSV or XLSX), all or nothing. Office only.</summary>
    [Function("LedgerImport")]
    [Access(Policies.Ledger)]
    public async Task<IResult> Import([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/ledger/{year}/tasks")] HttpRequest request,
        string year, CancellationToken ct)
    {
        var y = Year(year);
        var content = await BodyReader.ReadAsync(request, BodyReader.ImportLimit, ct);
        return await ImportRefusals.ImportAsync(request, () => ActAsync(request, async actor =>
        {
            var outcome = await Service(request).ImportAsync(y, content, ApiInput.FileName(request, content, "tasks"), actor, ct);
            return Results.Ok(new LedgerImportDto(outcome.Added, outcome.Updated, outcome.Unchanged,
                [.. outcome.NotApplied.Select(n => new LedgerNotAppliedDto(n.Row, n.Id, n.Message))]));
        }));
    }

    /// <summary>
    /// <c>GET /api/ledger/{year}/tasks</c>: the tasks the caller may see (the office all, a unit its own) as they stood on
    /// <c>?on=</c> (default today), with their lights, filtered by <c>?unit=</c> and <c>?state=</c>.
    /// </summary>
    [Function("LedgerList")]
    [Access(Policies.Ledger)]
    public Task<IResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/ledger/{year}/tasks")] HttpRequest request,
        string year, CancellationToken ct)
    {
        var y = Year(year);
        var on = OptionalDate(request.Query["on"].ToString(), "on");
        var unit = request.Query["unit"].ToString() is { Length: > 0 } u ? u : null;
        TaskState? state = null;
        if (request.Query["state"].ToString() is { Length: > 0 } s)
            state = TaskStates.TryParse(s, out var parsed) ? parsed : throw ApiException.BadRequest($"state 应为 in-progress、submitted、closed 或 cancelled（或 推进中、待核验、已销号、中止），这里是 '{s}'");
        return ActAsync(request, async actor =>
        {
            var service = Service(request);
            var list = await service.ListAsync(y, actor, on, unit, state, ct);
            return Results.Ok(new LedgerListDto(Day(on ?? service.Today)!, [.. list.Select(l => LedgerTaskDto.Of(l.Task, l))]));
        });
    }

    /// <summary><c>GET /api/ledger/{year}/tasks/{id}</c>: a task as it is now and its whole history.</summary>
    [Function("LedgerHistory")]
    [Access(Policies.Ledger)]
    public Task<IResult> History([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/ledger/{year}/tasks/{id}")] HttpRequest request,
        string year, string id, CancellationToken ct)
    {
        var y = Year(year);
        return ActAsync(request, async actor =>
        {
            var service = Service(request);
            var task = await service.GetAsync(y, id, actor, ct);
            var history = await service.HistoryAsync(y, id, actor, ct);
            return Results.Ok(new LedgerHistoryDto(LedgerTaskDto.Of(task, null), [.. history.Select(LedgerEventDto.Of)]));
        });
    }

    /// <summary>
    /// <c>POST /api/ledger/{year}/tasks/{id}/submit</c> (申请销号), <c>multipart/form-data</c>: a <c>note</c> and 1–10
    /// <c>file</c> parts (PDF, PNG, JPEG, XLSX or DOCX, recognised by content, at most 20 MB each).
    /// </summary>
    [Function("LedgerSubmit")]
    [Access(Policies.Ledger)]
    public async Task<IResult> Submit([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/ledger/{year}/tasks/{id}/submit")] HttpRequest request,
        string year, string id, CancellationToken ct)
    {
        var y = Year(year);
        var actor = Actor(request);
        var (form, uploads) = await EvidenceForm.ReadAsync(request, "申请销号的请求正文应为 multipart/form-data（note 与 1–10 个 file）", "一次申请销号", ct);
        return await ActAsync(actor, async () =>
            Results.Ok(LedgerTaskDto.Of(await Service(request).SubmitAsync(y, id, actor, form["note"].ToString(), uploads, ct), null)));
    }

    /// <summary><c>POST …/close</c> (核验通过): the office, not the account that submitted; JSON <c>{"note": …}</c> (optional).</summary>
    [Function("LedgerClose")]
    [Access(Policies.Ledger)]
    public Task<IResult> Close([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/ledger/{year}/tasks/{id}/close")] HttpRequest request,
        string year, string id, CancellationToken ct) =>
        ChangeAsync(request, year, id, (s, y, a, b) => s.CloseAsync(y, id, a, b.Note, ct), ct);

    /// <summary><c>POST …/return</c> (退回): the office, JSON <c>{"reason": …}</c>.</summary>
    [Function("LedgerReturn")]
    [Access(Policies.Ledger)]
    public Task<IResult> Return([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/ledger/{year}/tasks/{id}/return")] HttpRequest request,
        string year, string id, CancellationToken ct) =>
        ChangeAsync(request, year, id, (s, y, a, b) => s.ReturnAsync(y, id, a, b.Reason ?? "", ct), ct);

    /// <summary><c>POST …/extend</c> (申请延期): the task's unit, JSON <c>{"reason": …, "date": "YYYY-MM-DD"}</c>.</summary>
    [Function("LedgerExtend")]
    [Access(Policies.Ledger)]
    public Task<IResult> Extend([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/ledger/{year}/tasks/{id}/extend")] HttpRequest request,
        string year, string id, CancellationToken ct) =>
        ChangeAsync(request, year, id, (s, y, a, b) => s.ExtendAsync(y, id, a, b.Reason ?? "", RequiredDate(b.Date), ct), ct);

    /// <summary><c>POST …/decide</c> (批准 / 不批准延期): the office, JSON <c>{"approve": true|false, "reason": …}</c>.</summary>
    [Function("LedgerDecide")]
    [Access(Policies.Ledger)]
    public Task<IResult> Decide([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/ledger/{year}/tasks/{id}/decide")] HttpRequest request,
        string year, string id, CancellationToken ct) =>
        ChangeAsync(request, year, id, (s, y, a, b) =>
            s.DecideAsync(y, id, a, b.Approve ?? throw ApiException.BadRequest("缺少 approve（true 批准，false 不批准）"), b.Reason, ct), ct);

    /// <summary><c>POST …/reopen</c> (重新挂账): the office, JSON <c>{"reason": …, "date": "YYYY-MM-DD"}</c> (a new deadline, optional).</summary>
    [Function("LedgerReopen")]
    [Access(Policies.Ledger)]
    public Task<IResult> Reopen([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/ledger/{year}/tasks/{id}/reopen")] HttpRequest request,
        string year, string id, CancellationToken ct) =>
        ChangeAsync(request, year, id, (s, y, a, b) => s.ReopenAsync(y, id, a, b.Reason ?? "", OptionalDate(b.Date, "date"), ct), ct);

    /// <summary><c>POST …/cancel</c> (中止): the office, JSON <c>{"reason": …}</c>.</summary>
    [Function("LedgerCancel")]
    [Access(Policies.Ledger)]
    public Task<IResult> Cancel([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/ledger/{year}/tasks/{id}/cancel")] HttpRequest request,
        string year, string id, CancellationToken ct) =>
        ChangeAsync(request, year, id, (s, y, a, b) => s.CancelAsync(y, id, a, b.Reason ?? "", ct), ct);

    /// <summary><c>POST …/resume</c> (恢复): the office, JSON <c>{"reason": …}</c>.</summary>
    [Function("LedgerResume")]
    [Access(Policies.Ledger)]
    public Task<IResult> Resume([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/ledger/{year}/tasks/{id}/resume")] HttpRequest request,
        string year, string id, CancellationToken ct) =>
        ChangeAsync(request, year, id, (s, y, a, b) => s.ResumeAsync(y, id, a, b.Reason ?? "", ct), ct);

    /// <summary><c>POST …/deadline</c> (调整时限): the office, JSON <c>{"reason": …, "date": "YYYY-MM-DD"}</c>.</summary>
    [Function("LedgerDeadline")]
    [Access(Policies.Ledger)]
    public Task<IResult> Deadline([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/ledger/{year}/tasks/{id}/deadline")] HttpRequest request,
        string year, string id, CancellationToken ct) =>
        ChangeAsync(request, year, id, (s, y, a, b) => s.SetDeadlineAsync(y, id, a, b.Reason ?? "", RequiredDate(b.Date), ct), ct);

    /// <summary>
    /// <c>GET /api/ledger/{year}/tasks/{id}/files/{sha256}</c>: an evidence file of the task's submissions, for the office,
    /// the task's unit and its parent (404 for anyone else, as for a file that is not the task's), as an attachment.
    /// </summary>
    [Function("LedgerFile")]
    [Access(Policies.Ledger)]
    public Task<IResult> File([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/ledger/{year}/tasks/{id}/files/{sha256}")] HttpRequest request,
        string year, string id, string sha256, CancellationToken ct)
    {
        var y = Year(year);
        return ActAsync(request, async actor =>
        {
            var (file, content) = await Service(request).FileAsync(y, id, sha256, actor, ct);
            var http = request.HttpContext;
            // Served as a download of its recognised type, never rendered or sniffed (the security headers add nosniff too).
            http.Response.Headers.XContentTypeOptions = "nosniff";
            var ascii = $"{id}-{file.Sha256[..12]}.{file.Type switch { "jpeg" => "jpg", var t => t }}";
            return Downloads.File(http, content, file.Sha256, EvidenceForm.MediaType(file.Type), ascii, file.Name);
        });
    }

    /// <summary>
    /// <c>GET /api/ledger/observations/{period}</c>: the derived observations of the period (<c>ledger_due</c>,
    /// <c>ledger_closed_on_time</c>, <c>ledger_closed</c>, <c>ledger_overdue</c>, <c>ledger_reopened</c> for each unit with
    /// tasks that year) as the observations CSV (<c>unit,indicator,period,actual,target</c>). Office only.
    /// </summary>
    [Function("LedgerObservations")]
    [Access(Policies.Ledger)]
    public Task<IResult> Observations([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/ledger/observations/{period}")] HttpRequest request,
        string period, CancellationToken ct)
    {
        var p = ApiInput.Period(period);
        return ActAsync(request, async actor =>
        {
            if (!actor.IsOffice) throw new LedgerRefusedException("派生数据由考核办导出");
            var csv = LedgerObservationsCsv.Write(await Service(request).ObservationsAsync(p, ct));
            request.HttpContext.Response.Headers.CacheControl = "private, no-cache";
            return Results.Bytes(csv, "text/csv; charset=utf-8", fileDownloadName: $"ledger-{p}.csv");
        });
    }

    // ---- adapters ----

    private async Task<IResult> ChangeAsync(HttpRequest request, string year, string id,
        Func<LedgerService, int, LedgerActor, LedgerChangeRequest, Task<LedgerTask>> change, CancellationToken ct)
    {
        var y = Year(year);
        var actor = Actor(request);
        var body = await Body(request, ct);
        return await ActAsync(actor, async () => Results.Ok(LedgerTaskDto.Of(await change(Service(request), y, actor, body), null)));
    }

    private async Task<LedgerChangeRequest> Body(HttpRequest request, CancellationToken ct)
    {
        var bytes = await BodyReader.ReadAsync(request, BodyReader.JsonLimit, ct);
        if (bytes.Length == 0) return new LedgerChangeRequest(null, null, null, null);
        try
        {
            return JsonSerializer.Deserialize<LedgerChangeRequest>(bytes, json.Value.SerializerOptions) ?? new LedgerChangeRequest(null, null, null, null);
        }
        catch (JsonException e)
        {
            var at = e.LineNumber is { } line ? $"（第 {line + 1} 行第 {(e.BytePositionInLine ?? 0) + 1} 字节）" : "";
            throw ApiException.BadRequest($"请求正文应为 JSON {{\"reason\":\"…\",\"note\":\"…\",\"date\":\"YYYY-MM-DD\",\"approve\":true}}{at}");
        }
    }

    /// <summary>The caller's ledger actor, from the one policy; nobody else acts here (403).</summary>
    private static LedgerActor Actor(HttpRequest request) =>
        AccessPolicy.LedgerActorOf(Caller.Of(request.HttpContext)?.User) ?? throw ApiException.Forbidden();

    private static Task<IResult> ActAsync(HttpRequest request, Func<LedgerActor, Task<IResult>> body)
    {
        var actor = Actor(request);
        return ActAsync(actor, () => body(actor));
    }

    /// <summary>Runs a use case; the ledger's refusal of the actor (wrong role or unit) is 403 with its reason.</summary>
    private static async Task<IResult> ActAsync(LedgerActor actor, Func<Task<IResult>> body)
    {
        _ = actor;
        try
        {
            return await body();
        }
        catch (LedgerRefusedException e)
        {
            throw new ApiException(StatusCodes.Status403Forbidden, "无权操作", e.Message);
        }
    }

    private static LedgerSettings Settings(HttpRequest request)
    {
        var remind = Days(request.Query["remindDays"].ToString(), "remindDays") ?? LedgerSettings.Default.RemindDays;
        var red = Days(request.Query["redAfterDays"].ToString(), "redAfterDays") ?? LedgerSettings.Default.RedAfterDays;
        return new LedgerSettings(remind, red);
    }

    private static int? Days(string text, string name) => text.Length == 0 ? null
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var d) && d <= 3660 ? d
        : throw ApiException.BadRequest($"{name} 应为 0–3660 的整数天数，这里是 '{text}'");

    private static int Year(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is >= 1900 and <= 9999 && text.Length == 4
            ? y : throw ApiException.BadRequest($"year 应为四位年份，这里是 '{text}'");

    private static DateOnly? OptionalDate(string? text, string name) => string.IsNullOrEmpty(text) ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
        : throw ApiException.BadRequest($"{name} 应为日期 YYYY-MM-DD，这里是 '{text}'");

    private static DateOnly RequiredDate(string? text) => OptionalDate(text, "date") ?? throw ApiException.BadRequest("缺少 date（YYYY-MM-DD）");

    internal static string? Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>A change's JSON body: what the change asks for (a reason, a note, a date, a decision).</summary>
public sealed record LedgerChangeRequest(string? Reason, string? Note, string? Date, bool? Approve);

/// <summary>What an import did.</summary>
public sealed record LedgerImportDto(int Added, int Updated, int Unchanged, IReadOnlyList<LedgerNotAppliedDto> NotApplied);

/// <summary>A row read but not applied (its task has recorded changes).</summary>
public sealed record LedgerNotAppliedDto(int Row, string Id, string Message);

/// <summary>The tasks on a date.</summary>
public sealed record LedgerListDto(string On, IReadOnlyList<LedgerTaskDto> Tasks);

/// <summary>A task and its history.</summary>
public sealed record LedgerHistoryDto(LedgerTaskDto Task, IReadOnlyList<LedgerEventDto> History);

/// <summary>A pending extension request.</summary>
public sealed record LedgerPendingDto(string Proposed, string Reason, string By, string On);

/// <summary>
/// A task: its columns, state (<c>in-progress</c>, <c>submitted</c>, <c>closed</c>, <c>cancelled</c>; null for a grouping
/// item) with its Chinese name, dates, and in a list its light on the date (<c>none</c>, <c>blue</c>, <c>yellow</c>, <c>red</c>).
/// </summary>
public sealed record LedgerTaskDto(int Year, string Id, string? Parent, string Kind, string Title, string? Unit, string? Lead, string? Leader,
    string? State, string? StateName, string? Due, string? OriginalDue, string? Done, string? SubmittedOn, string? SubmittedBy,
    LedgerPendingDto? Pending, int Reopened, long Version, string? Light, string? LightName, int? DaysOverdue)
{
    internal static LedgerTaskDto Of(LedgerTask t, TaskLighting? lit) => new(t.Year, t.Id, t.Parent, t.Kind, t.Title, t.Unit, t.Lead, t.Leader,
        t.IsGrouping ? null : StateWord(t.State), t.IsGrouping ? null : t.State.ToChinese(), LedgerFunctions.Day(t.Due), LedgerFunctions.Day(t.OriginalDue),
        LedgerFunctions.Day(t.Done), LedgerFunctions.Day(t.SubmittedOn), t.SubmittedBy,
        t.Pending is { } p ? new LedgerPendingDto(LedgerFunctions.Day(p.Proposed)!, p.Reason, p.By, LedgerFunctions.Day(p.On)!) : null,
        t.Reopened, t.Version, lit is null || t.IsGrouping ? null : lit.Light.ToString().ToLowerInvariant(),
        lit is null || t.IsGrouping ? null : lit.Light.ToChinese(), lit is null || t.IsGrouping ? null : lit.DaysOverdue);

    internal static string StateWord(TaskState state) => state switch
    {
        TaskState.InProgress => "in-progress",
        TaskState.Submitted => "submitted",
        TaskState.Closed => "closed",
        _ => "cancelled",
    };
}

/// <summary>An entry of a task's history: who, when, what, why, which files.</summary>
public sealed record LedgerEventDto(long Sequence, string Change, string ChangeName, string At, string On, string Actor, string Role, string? Unit,
    string? Reason, string? Date, IReadOnlyList<LedgerFileDto> Files)
{
    internal static LedgerEventDto Of(LedgerEvent e) => new(e.Sequence, e.Change.ToWord(), e.Change.ToChinese(),
        e.At.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), LedgerFunctions.Day(e.On)!, e.Actor, e.Role, e.ActorUnit,
        e.Reason, LedgerFunctions.Day(e.Date),
        [.. e.Files.Select(f => new LedgerFileDto(f.Name, f.Type, f.Size, f.Sha256, $"/api/ledger/{e.Year}/tasks/{Uri.EscapeDataString(e.TaskId)}/files/{f.Sha256}"))]);
}

/// <summary>An evidence file and where to download it.</summary>
public sealed record LedgerFileDto(string Name, string Type, long Size, string Sha256, string Url);
