using System.Text.Json;
using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Http;
using BaiQianWan.Assess.Functions.Runs;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Reviews;
using BaiQianWan.Assess.Workflow.Runs;
using BaiQianWan.Assess.Portal.Auth;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace BaiQianWan.Assess.Functions.Api;

/// <summary><c>/api/evaluations</c>: request a run (202), follow it, publish it. Office only.</summary>
public sealed class EvaluationFunctions(AssessmentService service, IRunCarrier carrier, IOptions<JsonOptions> json)
{
    /// <summary><c>POST /api/evaluations</c> with <see cref="EvaluationRequest"/>; an <c>Idempotency-Key</c> header makes repeats safe.</summary>
    [Function("EvaluationsCreate")]
    [Access(Policies.Office)]
    public async Task<IResult> Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/evaluations")] HttpRequest request, CancellationToken ct)
    {
        var body = await BodyReader.ReadAsync(request, BodyReader.JsonLimit, ct);
        EvaluationRequest? asked;
        try
        {
            asked = JsonSerializer.Deserialize<EvaluationRequest>(body, json.Value.SerializerOptions);
        }
        catch (JsonException e)
        {
            // The serializer's message names .NET types: say where instead.
            var at = e.LineNumber is { } line ? $"（第 {line + 1} 行第 {(e.BytePositionInLine ?? 0) + 1} 字节{(string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : "，" + e.Path)}）" : "";
            throw ApiException.BadRequest($"请求正文应为 JSON {{\"period\":\"2025Q3\",\"level\":\"county\",\"ruleset\":\"county-2025\",\"version\":null}}{at}");
        }
        if (asked is null) throw ApiException.BadRequest("缺少请求正文");
        var period = ApiInput.Period(asked.Period);
        var level = ApiInput.Level(asked.Level);
        var ruleset = ApiInput.Required(asked.Ruleset, "ruleset");
        if (asked.Version is <= 0) throw ApiException.BadRequest("version 应为正整数，或 null 表示启用的版本");
        var actor = request.HttpContext.User.Actor();
        var key = IdempotencyKey(request, actor);
        // One call into the run use case: stranded runs failed first, the run requested (a repeated key answers its
        // run) and handed to the carrier (in this process, or evaluated now and its batches queued).
        var ask = new RunAsk(period, level, ruleset, asked.Version, actor, key, asked.Sample);
        var run = (await service.Runs.StartAsync(ask, carrier, ct)).Run;
        // The key is bound to the body it came with: the same key with another request is refused, not answered with another run.
        if (key is not null && !ask.Matches(run))
            throw new ApiException(StatusCodes.Status422UnprocessableEntity, "幂等键已用于另一请求",
                $"Idempotency-Key 已用于运行 {run.Id}（{run.Period} {run.Level.ToText()} {run.RulesetId}@{run.RulesetVersion}），不能用于不同的请求正文");
        return Results.Accepted($"/api/evaluations/{Uri.EscapeDataString(run.Id)}", RunDto.Of(run));
    }

    /// <summary>
    /// <c>GET /api/evaluations/{id}</c>: a run and how far its documents are; a year run's sources against each period's
    /// current publication (the query the portal's run page reads).
    /// </summary>
    [Function("EvaluationsGet")]
    [Access(Policies.Office)]
    public async Task<IResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/evaluations/{id}")] HttpRequest request, string id, CancellationToken ct)
    {
        var run = await service.GetRunAsync(id, ct) ?? throw ApiException.NotFound($"没有运行 {id}");
        var progress = run.DataSha256 is null ? null : await service.GetRenderProgressAsync(run, cancellationToken: ct);
        var sources = run.DataSha256 is null || !run.Period.IsWholeYear ? null : await service.GetSourceStatusAsync(run, cancellationToken: ct);
        return Results.Ok(RunDto.Of(run, progress, sources));
    }

    /// <summary>
    /// <c>POST /api/evaluations/{id}/publish</c>: makes a succeeded run the period's official result; with <c>noticeDays</c>
    /// (<c>?noticeDays=5</c> or the JSON body <c>{"noticeDays":5}</c>) provisionally, with a notice (公示) during which units
    /// may ask for review (<see cref="ReviewFunctions"/>). Without it, as before: a final publication.
    /// </summary>
    [Function("EvaluationsPublish")]
    [Access(Policies.Office)]
    public async Task<IResult> Publish([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/evaluations/{id}/publish")] HttpRequest request, string id, CancellationToken ct)
    {
        var days = await NoticeDaysAsync(request, ct);
        if (service.Reviews is not { } reviews)
        {
            if (days is not null) throw new StoreException(StoreError.Conflict, "这个存储不支持公示（noticeDays），只能正式发布");
            return Results.Ok(PublicationDto.Of(await service.PublishAsync(id, request.HttpContext.User.Actor(), ct)));
        }
        var actor = AccessPolicy.ReviewActorOf(Caller.Of(request.HttpContext)?.User) ?? throw ApiException.Forbidden();
        return Results.Ok(PublicationDto.Of(await reviews.PublishAsync(id, actor, days, cancellationToken: ct)));
    }

    /// <summary>The notice days asked for, from the query or the JSON body (both given: the same number), or null.</summary>
    private async Task<int?> NoticeDaysAsync(HttpRequest request, CancellationToken ct)
    {
        int? fromQuery = null;
        if (request.Query["noticeDays"].ToString() is { Length: > 0 } text)
            fromQuery = int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var d) && text.Length <= 4 ? d
                : throw ApiException.BadRequest($"noticeDays 应为公示期天数（1–{Notice.MaxDays} 的整数），这里是 '{text}'");
        var body = await BodyReader.ReadAsync(request, BodyReader.JsonLimit, ct);
        int? fromBody = null;
        if (body.AsSpan().Trim(" \t\r\n"u8).Length > 0)
        {
            try
            {
                fromBody = JsonSerializer.Deserialize<PublishRequest>(body, json.Value.SerializerOptions)?.NoticeDays;
            }
            catch (JsonException)
            {
                throw ApiException.BadRequest("请求正文应为 JSON {\"noticeDays\":5}（公示期天数），或省略（正式发布）");
            }
        }
        if (fromQuery is { } q && fromBody is { } b && q != b)
            throw ApiException.BadRequest($"noticeDays 在地址中是 {q}，在正文中是 {b}：只给一处");
        return fromQuery ?? fromBody;
    }

    /// <summary>
    /// <c>GET /api/evaluations/{id}/results.xlsx</c>: the run's results as an XLSX 汇总表 (one sheet per class, the
    /// figures used, notes), before and after publishing; the same bytes for the same run. Office only (a unit reads its
    /// own published scorecard instead).
    /// </summary>
    [Function("EvaluationsResultsXlsx")]
    [Access(Policies.Office)]
    public async Task<IResult> ResultsXlsx([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/evaluations/{id}/results.xlsx")] HttpRequest request,
        string id, CancellationToken ct)
    {
        var run = await service.GetRunAsync(id, ct) ?? throw ApiException.NotFound($"没有运行 {id}");
        var bytes = await service.ResultsWorkbookAsync(run.Id, ct);
        return Downloads.File(request.HttpContext, bytes, Downloads.Sha256(bytes), Downloads.Xlsx,
            $"{run.Period}-{run.Level.ToText()}-{run.Id}-results.xlsx", $"{run.Period}-{run.Level.ToChinese()}-{run.Id}-考核结果汇总表.xlsx");
    }

    /// <summary>
    /// The stored key: scoped to its caller (the same key from another caller is another key), length-prefixed so no
    /// caller and key pair can spell another's. Null without the header.
    /// </summary>
    internal static string? IdempotencyKey(HttpRequest request, string actor)
    {
        var key = request.Headers["Idempotency-Key"].ToString().Trim();
        if (key.Length == 0) return null;
        if (key.Length > 200 || key.Any(char.IsControl)) throw ApiException.BadRequest("Idempotency-Key 最长 200 个字符，且不能含控制字符");
        return $"http:{actor.Length}:{actor}:{key}";
    }
}
