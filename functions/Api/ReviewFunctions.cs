using System.Text.Json;
using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Http;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Reviews;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace BaiQianWan.Assess.Functions.Api;

/// <summary>
/// Notice and review (公示、复核) through the API: thin adapters over <see cref="ReviewService"/>. Publishing with a notice is
/// <c>POST /api/evaluations/{id}/publish</c> with <c>noticeDays</c> (<see cref="EvaluationFunctions"/>); here are the notices
/// of a period, the final publication, the withdrawal of a provisional one, and the units' review requests. Who acts is
/// decided once, by the one policy: <see cref="AccessPolicy.ReviewActorOf"/> gives the caller's actor (the office, or a
/// unit's account as its unit; nobody else: 403), and the review flow decides what that actor may do: a refusal of the
/// actor is 403 (<see cref="ReviewRefusedException"/>, mapped with the other workflow refusals), a change the flow's state
/// or time does not allow (after the deadline, final before every request is answered) or one written first by another
/// is 409, an invalid request or file 422.
/// </summary>
public sealed class ReviewFunctions(AssessmentService service, IOptions<JsonOptions> json)
{
    /// <summary>
    /// <c>GET /api/periods/{period}/notices/{level}</c>: the period's current publication with its notice (null when nothing
    /// is published), every publication of the period by revision, and the counts the final bulletin states (N requests
    /// filed since the first notice, M corrected). The office and every unit.
    /// </summary>
    [Function("ReviewNotices")]
    [Access(Policies.Review)]
    public async Task<IResult> Notices([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/periods/{period}/notices/{level}")] HttpRequest request,
        string period, string level, CancellationToken ct)
    {
        var p = ApiInput.Period(period);
        var l = ApiInput.Level(level);
        _ = Actor(request);
        var reviews = Reviews();
        var current = await reviews.GetNoticeAsync(p, l, ct);
        var history = await reviews.GetNoticesAsync(p, l, ct);
        var counts = await reviews.CountAsync(p, l, ct);
        return Results.Ok(new NoticesDto(p.ToString(), l.ToText(), current is null ? null : PublicationDto.Of(current),
            [.. history.Select(PublicationDto.Of)], counts.Filed, counts.Corrected));
    }

    /// <summary>
    /// <c>POST /api/periods/{period}/notices/{level}/final</c>: the office makes the period's provisional publication final,
    /// from its deadline on, once every request is answered and no correction is waiting to be published. No body.
    /// </summary>
    [Function("ReviewFinal")]
    [Access(Policies.Review)]
    public async Task<IResult> Final([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/periods/{period}/notices/{level}/final")] HttpRequest request,
        string period, string level, CancellationToken ct)
    {
        var p = ApiInput.Period(period);
        var l = ApiInput.Level(level);
        var actor = Actor(request);
        return Results.Ok(PublicationDto.Of(await Reviews().MakeFinalAsync(p, l, actor, ct)));
    }

    /// <summary>
    /// <c>POST /api/evaluations/{id}/withdraw</c>, JSON <c>{"reason": …}</c>: the office withdraws the run's provisional
    /// publication (it must be its period's current one); its open requests close as withdrawn. Answers the withdrawn
    /// publication; the period's notices say what is published now.
    /// </summary>
    [Function("ReviewWithdrawPublication")]
    [Access(Policies.Review)]
    public async Task<IResult> WithdrawPublication([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/evaluations/{id}/withdraw")] HttpRequest request,
        string id, CancellationToken ct)
    {
        var actor = Actor(request);
        var body = await BodyAsync(request, ct);
        return Results.Ok(PublicationDto.Of(await Reviews().WithdrawPublicationAsync(id, actor, body.Reason ?? "", ct)));
    }

    /// <summary>
    /// <c>POST /api/reviews</c> (复核申请), <c>multipart/form-data</c>: <c>run</c> (the run published provisionally),
    /// <c>kind</c> (<c>indicator</c>, <c>adjustment</c> or <c>veto</c>), <c>target</c> (its id in the unit's results),
    /// <c>reason</c>, and 0–10 <c>file</c> parts (the ledger's evidence rules). A unit, on its own results, before the
    /// deadline. 201 with the request.
    /// </summary>
    [Function("ReviewFile")]
    [Access(Policies.Review)]
    public async Task<IResult> File([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/reviews")] HttpRequest request, CancellationToken ct)
    {
        var actor = Actor(request);
        var (form, uploads) = await EvidenceForm.ReadAsync(request, "复核申请的请求正文应为 multipart/form-data（run、kind、target、reason 与 0–10 个 file）", "一次复核申请", ct);
        var run = Field(form, "run", "须给出 run（公示中的运行 id）");
        var kindText = Field(form, "kind", "须给出 kind（indicator、adjustment 或 veto）");
        var kind = ReviewWords.TargetKindOf(kindText)
            ?? throw new ApiException(StatusCodes.Status422UnprocessableEntity, "数据无效", $"kind 应为 indicator、adjustment 或 veto（或 指标、加减分项、否决项），这里是 '{kindText}'");
        var filed = await Reviews().FileAsync(run, actor, kind, form["target"].ToString(), form["reason"].ToString(), uploads, ct);
        return Results.Created($"/api/reviews/{Uri.EscapeDataString(filed.Id)}", ReviewDto.Of(filed));
    }

    /// <summary>
    /// <c>GET /api/reviews</c>: the requests the caller may see (the office every one, a unit its own), filtered by
    /// <c>?period=</c>, <c>?level=</c> and <c>?state=</c>, by id.
    /// </summary>
    [Function("ReviewList")]
    [Access(Policies.Review)]
    public async Task<IResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reviews")] HttpRequest request, CancellationToken ct)
    {
        Period? period = request.Query["period"].ToString() is { Length: > 0 } pt ? ApiInput.Period(pt) : null;
        UnitLevel? level = request.Query["level"].ToString() is { Length: > 0 } lt ? ApiInput.Level(lt) : null;
        ReviewState? state = request.Query["state"].ToString() is { Length: > 0 } st ? StateOf(st) : null;
        var actor = Actor(request);
        var list = await Reviews().ListAsync(actor, period, level, ct);
        return Results.Ok(new ReviewListDto([.. list.Where(r => state is null || r.State == state).Select(ReviewDto.Of)]));
    }

    /// <summary><c>GET /api/reviews/{id}</c>: one request (the office any, a unit its own).</summary>
    [Function("ReviewGet")]
    [Access(Policies.Review)]
    public async Task<IResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reviews/{id}")] HttpRequest request, string id, CancellationToken ct)
    {
        var actor = Actor(request);
        return Results.Ok(ReviewDto.Of(await Reviews().GetAsync(id, actor, ct)));
    }

    /// <summary>
    /// <c>POST /api/reviews/{id}/answer</c>, JSON <c>{"decision": "uphold"|"correct", "reason": …}</c> (维持 / 更正): the office
    /// answers a request 待答复. A correction stays 更正中 until a new run of the period is published.
    /// </summary>
    [Function("ReviewAnswer")]
    [Access(Policies.Review)]
    public async Task<IResult> Answer([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/reviews/{id}/answer")] HttpRequest request,
        string id, CancellationToken ct)
    {
        var actor = Actor(request);
        var body = await BodyAsync(request, ct);
        var correct = body.Decision switch
        {
            "uphold" or "维持" => false,
            "correct" or "更正" => true,
            null or "" => throw new ApiException(StatusCodes.Status422UnprocessableEntity, "数据无效", "须给出 decision：uphold（维持）或 correct（更正）"),
            var other => throw new ApiException(StatusCodes.Status422UnprocessableEntity, "数据无效", $"decision 应为 uphold（维持）或 correct（更正），这里是 '{other}'"),
        };
        return Results.Ok(ReviewDto.Of(await Reviews().AnswerAsync(id, actor, correct, body.Reason ?? "", ct)));
    }

    /// <summary><c>POST /api/reviews/{id}/withdraw</c>, JSON <c>{"reason": …}</c> (optional): a unit withdraws its own request 待答复.</summary>
    [Function("ReviewWithdraw")]
    [Access(Policies.Review)]
    public async Task<IResult> Withdraw([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/reviews/{id}/withdraw")] HttpRequest request,
        string id, CancellationToken ct)
    {
        var actor = Actor(request);
        var body = await BodyAsync(request, ct);
        return Results.Ok(ReviewDto.Of(await Reviews().WithdrawAsync(id, actor, body.Reason, ct)));
    }

    /// <summary>
    /// <c>GET /api/reviews/{id}/files/{sha256}</c>: an evidence file of a request (the office, or the request's unit), as an
    /// attachment of its recognised type, never rendered or sniffed.
    /// </summary>
    [Function("ReviewEvidence")]
    [Access(Policies.Review)]
    public async Task<IResult> Evidence([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reviews/{id}/files/{sha256}")] HttpRequest request,
        string id, string sha256, CancellationToken ct)
    {
        var actor = Actor(request);
        var (file, content) = await Reviews().OpenFileAsync(id, sha256, actor, ct);
        var http = request.HttpContext;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        var ascii = $"{id}-{file.Sha256[..12]}.{file.Type switch { "jpeg" => "jpg", var t => t }}";
        return Downloads.File(http, content, file.Sha256, EvidenceForm.MediaType(file.Type), ascii, file.Name);
    }

    // ---- adapters ----

    /// <summary>The caller's review actor, from the one policy; nobody else acts here (403).</summary>
    private static ReviewActor Actor(HttpRequest request) =>
        AccessPolicy.ReviewActorOf(Caller.Of(request.HttpContext)?.User) ?? throw ApiException.Forbidden();

    private ReviewService Reviews() =>
        service.Reviews ?? throw new StoreException(StoreError.Conflict, "这个存储不支持公示和复核");

    private async Task<ReviewChangeRequest> BodyAsync(HttpRequest request, CancellationToken ct)
    {
        var bytes = await BodyReader.ReadAsync(request, BodyReader.JsonLimit, ct);
        if (bytes.AsSpan().Trim(" \t\r\n"u8).Length == 0) return new ReviewChangeRequest(null, null);
        try
        {
            return JsonSerializer.Deserialize<ReviewChangeRequest>(bytes, json.Value.SerializerOptions) ?? new ReviewChangeRequest(null, null);
        }
        catch (JsonException e)
        {
            var at = e.LineNumber is { } line ? $"（第 {line + 1} 行第 {(e.BytePositionInLine ?? 0) + 1} 字节）" : "";
            throw ApiException.BadRequest($"请求正文应为 JSON {{\"reason\":\"…\",\"decision\":\"uphold|correct\"}}{at}");
        }
    }

    private static string Field(IFormCollection form, string name, string missing) =>
        form[name].ToString() is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value.Trim()
            : throw new ApiException(StatusCodes.Status422UnprocessableEntity, "数据无效", missing);

    private static ReviewState StateOf(string text) => text switch
    {
        "open" or "待答复" => ReviewState.Open,
        "upheld" or "维持" => ReviewState.Upheld,
        "correcting" or "更正中" => ReviewState.Correcting,
        "corrected" or "已更正" => ReviewState.Corrected,
        "withdrawn" or "已撤回" => ReviewState.Withdrawn,
        _ => throw ApiException.BadRequest($"state 应为 open、upheld、correcting、corrected 或 withdrawn（或 待答复、维持、更正中、已更正、已撤回），这里是 '{text}'"),
    };
}

/// <summary>The body of <c>POST /api/evaluations/{id}/publish</c> (optional): the notice period in days, or null for a final publication.</summary>
public sealed record PublishRequest(int? NoticeDays);

/// <summary>A review change's JSON body: the reason, and for an answer the decision (<c>uphold</c> 维持 or <c>correct</c> 更正).</summary>
public sealed record ReviewChangeRequest(string? Reason, string? Decision);

/// <summary>A period's publications with their notices, and the counts of its review requests.</summary>
/// <param name="Period">Period.</param>
/// <param name="Level">Level.</param>
/// <param name="Current">The current publication, or null when nothing is published.</param>
/// <param name="History">Every publication of the period, by revision.</param>
/// <param name="Filed">N: every request filed on the period's publications.</param>
/// <param name="Corrected">M: those corrected.</param>
public sealed record NoticesDto(string Period, string Level, PublicationDto? Current, IReadOnlyList<PublicationDto> History, int Filed, int Corrected);

/// <summary>Review requests.</summary>
public sealed record ReviewListDto(IReadOnlyList<ReviewDto> Reviews);

/// <summary>
/// A review request (复核申请): what it is about, on which publication (filed on, and now on: open requests move to a
/// replacing publication), its evidence, its state (<c>open</c> 待答复, <c>upheld</c> 维持, <c>correcting</c> 更正中,
/// <c>corrected</c> 已更正, <c>withdrawn</c> 已撤回) and answer, and for a corrected one the run that corrected it.
/// </summary>
public sealed record ReviewDto(string Id, string Period, string Level, string Unit, string FiledRunId, int FiledRevision, string RunId, int Revision,
    string TargetKind, string Target, string Reason, IReadOnlyList<ReviewFileDto> Files, string FiledBy, DateTimeOffset FiledAt,
    string State, string StateName, string? Answer, string? AnsweredBy, DateTimeOffset? AnsweredAt, string? CorrectingRunId, DateTimeOffset? ClosedAt, int Version)
{
    internal static ReviewDto Of(ReviewRequest r) => new(r.Id, r.Period.ToString(), r.Level.ToText(), r.Unit, r.FiledRunId, r.FiledRevision, r.RunId, r.Revision,
        r.TargetKind.ToText(), r.Target, r.Reason,
        [.. r.Files.Select(f => new ReviewFileDto(f.Name, f.Type, f.Size, f.Sha256, $"/api/reviews/{Uri.EscapeDataString(r.Id)}/files/{f.Sha256}"))],
        r.FiledBy, r.FiledAt, r.State.ToText(), r.State.ToChinese(), r.Answer, r.AnsweredBy, r.AnsweredAt, r.CorrectingRunId, r.ClosedAt, r.Version);
}

/// <summary>An evidence file of a review request and where to download it.</summary>
public sealed record ReviewFileDto(string Name, string Type, long Size, string Sha256, string Url);
