using BaiQianWan.Assess.Store;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace BaiQianWan.Assess.Functions.Http;

/// <summary>Turns refusals (API, store, workflow) into RFC 7807 problem details; anything else is a 500 without internals.</summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = ToProblem(exception);
        if (problem is null)
        {
            log.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            problem = new ProblemDetails { Status = StatusCodes.Status500InternalServerError, Title = "内部错误", Detail = "服务器处理请求时出错，已记录日志" };
        }
        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    internal static ProblemDetails? ToProblem(Exception exception)
    {
        switch (exception)
        {
            case ApiException api:
                return With(new ProblemDetails { Status = api.Status, Title = api.Title, Detail = api.Message }, api.Errors);
            case StoreException store:
                var (status, title) = store.Error switch
                {
                    StoreError.NotFound => (StatusCodes.Status404NotFound, "未找到"),
                    StoreError.Conflict => (StatusCodes.Status409Conflict, "状态冲突"),
                    StoreError.Invalid => (StatusCodes.Status422UnprocessableEntity, "数据无效"),
                    _ => (StatusCodes.Status409Conflict, "并发冲突，请重试"),
                };
                return new ProblemDetails { Status = status, Title = title, Detail = store.Message };
            case BadHttpRequestException bad:
                return new ProblemDetails { Status = bad.StatusCode, Title = "请求无效", Detail = bad.Message };
            default:
                return WorkflowProblems.ToProblem(exception) is { } workflow ? workflow : null;
        }
    }

    /// <summary>Most errors listed in one response; the count always gives the total.</summary>
    internal const int MaxListedErrors = 1000;

    internal static ProblemDetails With(ProblemDetails problem, IReadOnlyList<string>? errors)
    {
        if (errors is { Count: > 0 })
        {
            problem.Extensions["errorCount"] = errors.Count;
            problem.Extensions["errors"] = errors.Count > MaxListedErrors ? errors.Take(MaxListedErrors).ToList() : errors;
        }
        return problem;
    }
}
