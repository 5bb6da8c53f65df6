using System.Text.Json;
using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Runs;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Workflow;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace BaiQianWan.Assess.Functions.Http;

/// <summary><c>/api/evaluations</c>: request a run (202), follow it, publish it. Office only.</summary>
public static class EvaluationEndpoints
{
    /// <summary>Maps the routes.</summary>
    public static void MapEvaluations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/evaluations").RequireAuthorization(Policies.Office).WithTags("evaluations");
        group.MapPost("", Create).WithName("EvaluationsCreate").Accepts<EvaluationRequest>("application/json")
            .Produces<RunDto>(StatusCodes.Status202Accepted);
        group.MapGet("/{id}", Get).WithName("EvaluationsGet").Produces<RunDto>();
        group.MapPost("/{id}/publish", Publish).WithName("EvaluationsPublish").Produces<PublicationDto>();
    }

    private static async Task<IResult> Create(HttpContext http, AssessmentService service, IRunDispatcher dispatcher,
        IOptions<JsonOptions> json, CancellationToken ct)
    {
        var body = await BodyReader.ReadAsync(http.Request, BodyReader.JsonLimit, ct);
        EvaluationRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<EvaluationRequest>(body, json.Value.SerializerOptions);
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"请求正文应为 JSON {{\"period\":\"2025Q3\",\"level\":\"county\",\"ruleset\":\"county-2025\",\"version\":null}}：{e.Message}");
        }
        if (request is null) throw ApiException.BadRequest("缺少请求正文");
        var period = ApiInput.Period(request.Period);
        var level = ApiInput.Level(request.Level);
        var ruleset = ApiInput.Required(request.Ruleset, "ruleset");
        if (request.Version is <= 0) throw ApiException.BadRequest("version 应为正整数，或 null 表示启用的版本");
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        var run = await service.RequestRunAsync(period, level, ruleset, request.Version, http.User.Actor(),
            string.IsNullOrWhiteSpace(key) ? null : $"http:{key.Trim()}", request.Sample, ct);
        if (run.Status == RunStatus.Queued)
        {
            try
            {
                await dispatcher.DispatchAsync(run, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Evaluated during the request (queue dispatch) and failed: the run carries the reason.
                if (await service.Store.GetRunAsync(run.Id, ct) is not { Status: RunStatus.Failed }) throw;
            }
        }
        run = await service.Store.GetRunAsync(run.Id, ct) ?? run;
        return Results.Accepted($"/api/evaluations/{Uri.EscapeDataString(run.Id)}", RunDto.Of(run));
    }

    private static async Task<IResult> Get(string id, AssessmentService service, CancellationToken ct)
    {
        var run = await service.Store.GetRunAsync(id, ct) ?? throw ApiException.NotFound($"没有运行 {id}");
        var progress = run.DataSha256 is null ? null : await service.GetRenderProgressAsync(id, ct);
        return Results.Ok(RunDto.Of(run, progress));
    }

    private static async Task<IResult> Publish(string id, HttpContext http, AssessmentService service, CancellationToken ct)
    {
        var publication = await service.PublishAsync(id, http.User.Actor(), ct);
        return Results.Ok(PublicationDto.Of(publication));
    }
}
