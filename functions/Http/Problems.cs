using BaiQianWan.Assess.Store;
using Microsoft.AspNetCore.Mvc;

namespace BaiQianWan.Assess.Functions.Http;

/// <summary>
/// Turns refusals (API, store, workflow) into RFC 7807 problem details; anything else is a 500 that says nothing of
/// the internals. Texts are the app's own: no exception message of the framework (which names .NET types) reaches a client.
/// </summary>
public static class Problems
{
    /// <summary>Most errors listed in one response; the count always gives the total.</summary>
    public const int MaxListedErrors = 1000;

    /// <summary>The problem for an exception, or null when it is not a refusal (a fault: 500).</summary>
    public static ProblemDetails? From(Exception exception)
    {
        switch (exception)
        {
            case ApiException api:
                return With(new ProblemDetails { Status = api.Status, Title = api.Title, Detail = api.Message }, api.Errors);
            case StoreException store:
                return new ProblemDetails { Status = StoreStatus.Of(store.Error), Title = StoreStatus.Title(store.Error), Detail = store.Message };
            case BadHttpRequestException bad:
                return new ProblemDetails
                {
                    Status = bad.StatusCode,
                    Title = "请求无效",
                    Detail = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "请求正文过大" : "请求无法读取",
                };
            default:
                return WorkflowProblems.ToProblem(exception);
        }
    }

    /// <summary>The 500 answer for a fault (logged by the caller).</summary>
    public static ProblemDetails Fault() =>
        new() { Status = StatusCodes.Status500InternalServerError, Title = "内部错误", Detail = "服务器处理请求时出错，已记录日志" };

    /// <summary>401: no or refused credentials.</summary>
    public static ProblemDetails Unauthorized(string reason) =>
        new() { Status = StatusCodes.Status401Unauthorized, Title = "未认证", Detail = reason };

    /// <summary>403: authenticated, without the right.</summary>
    public static ProblemDetails Forbidden()
    {
        var refusal = ApiException.Forbidden();
        return new ProblemDetails { Status = refusal.Status, Title = refusal.Title, Detail = refusal.Message };
    }

    /// <summary>Adds the positioned errors (at most <see cref="MaxListedErrors"/>) and their count.</summary>
    public static ProblemDetails With(ProblemDetails problem, IReadOnlyList<string>? errors)
    {
        if (errors is { Count: > 0 })
        {
            problem.Extensions["errorCount"] = errors.Count;
            problem.Extensions["errors"] = errors.Count > MaxListedErrors ? errors.Take(MaxListedErrors).ToList() : errors;
        }
        return problem;
    }

    /// <summary>Writes a problem as <c>application/problem+json</c>.</summary>
    public static Task WriteAsync(HttpContext http, ProblemDetails problem)
    {
        http.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return Results.Problem(problem).ExecuteAsync(http);
    }
}
