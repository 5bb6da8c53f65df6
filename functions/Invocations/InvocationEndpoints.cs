using System.Text.Json;
using BaiQianWan.Assess.Functions.Http;

namespace BaiQianWan.Assess.Functions.Invocations;

/// <summary>
/// <c>POST /{FunctionName}</c>: where the Functions host delivers timer and queue invocations. A failed invocation
/// is answered 500 with the reason in <c>Logs</c>, so the host records it and (for a queue) retries the message.
/// </summary>
public static class InvocationEndpoints
{
    /// <summary>Maps the invocation routes (anonymous: only the host on loopback reaches them when hosted).</summary>
    public static void MapInvocations(this IEndpointRouteBuilder app)
    {
        app.MapPost("/" + QuarterlyEvaluationFunction.Name, (HttpRequest http, QuarterlyEvaluationFunction f, CancellationToken ct) =>
            Invoke(http, f.InvokeAsync, ct)).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/" + RenderScorecardsFunction.Name, (HttpRequest http, RenderScorecardsFunction f, CancellationToken ct) =>
            Invoke(http, f.InvokeAsync, ct)).AllowAnonymous().ExcludeFromDescription();
    }

    private static async Task<IResult> Invoke(HttpRequest http, Func<InvocationRequest, CancellationToken, Task<InvocationResponse>> function, CancellationToken ct)
    {
        var log = http.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(InvocationEndpoints));
        try
        {
            var body = await BodyReader.ReadAsync(http, BodyReader.JsonLimit, ct);
            InvocationRequest request;
            try
            {
                using var doc = JsonDocument.Parse(body);
                request = InvocationRequest.Parse(doc.RootElement);
            }
            catch (JsonException e)
            {
                throw new InvocationException($"调用负载不是 JSON：{e.Message}");
            }
            return Results.Json(await function(request, ct), statusCode: StatusCodes.Status200OK);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Invocation {Path} failed", http.Path);
            var failed = new InvocationResponse();
            failed.Logs.Add($"{http.Path.Value?.TrimStart('/')} failed: {e.Message}");
            failed.ReturnValue = null;
            var status = e is InvocationException ? StatusCodes.Status400BadRequest : StatusCodes.Status500InternalServerError;
            return Results.Json(failed, statusCode: status);
        }
    }
}
