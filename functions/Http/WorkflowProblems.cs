using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Imports;
using BaiQianWan.Assess.Workflow.Publications;
using Microsoft.AspNetCore.Mvc;

namespace BaiQianWan.Assess.Functions.Http;

/// <summary>Maps the workflow's own refusals (invalid files and rulesets, the review flow's refused actor) to problem details.</summary>
internal static class WorkflowProblems
{
    public static ProblemDetails? ToProblem(Exception exception) => exception switch
    {
        InputRejectedException rejected => Rejected(rejected),
        // The review flow's refusal of the actor (a unit on another's request or without results in the run, a unit doing
        // the office's part, the office filing): 403 with the reason, as the ledger's refusals are.
        Workflow.Reviews.ReviewRefusedException refused => new ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden,
            Title = "无权操作",
            Detail = refused.Message,
        },
        // A damaged archive that could not be rebuilt (the workflow logged why): not sent cut short, try later.
        ArchiveUnavailableException unavailable => new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "暂时无法下载",
            Detail = unavailable.Message,
        },
        _ => null,
    };

    /// <summary>
    /// A refused file: the total (<c>errorCount</c>), at most <see cref="ImportErrorReport.MaxShown"/> errors (<c>errors</c>: each kind's
    /// first rows, then the next in file order), each kind once with its count (<c>errorKinds</c>), and, when some are left out, how
    /// to get them all (<c>allErrors</c>: the same request with <c>?errors=csv</c> answers a refusal with every error as CSV).
    /// </summary>
    private static ProblemDetails Rejected(InputRejectedException rejected)
    {
        var report = ImportErrorReport.Of(rejected);
        var problem = new ProblemDetails
        {
            // A file over a limit (size, rows, cells, string length) is 413; any other refusal 422.
            Status = rejected is InputTooLargeException ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status422UnprocessableEntity,
            Title = rejected is InputTooLargeException ? "文件超出限制，未写入任何数据" : "输入被拒绝，未写入任何数据",
            Detail = $"{rejected.FileName}：{report.Total} 处错误",
        };
        problem.Extensions["errorCount"] = report.Total;
        problem.Extensions["errors"] = report.Shown.Select(e => e.ToString()).ToList();
        problem.Extensions["errorKinds"] = report.Kinds.Select(k => new { summary = k.Summary, count = k.Count, first = k.First.Select(e => e.ToString()).ToList() }).ToList();
        if (report.Truncated)
            problem.Extensions["allErrors"] = $"这里列出 {report.Shown.Count} 处；导入数据时在同一请求的地址后加上 ?errors=csv（已有参数时用 &errors=csv），被拒绝时返回全部 {report.Total} 处错误的 CSV";
        return problem;
    }
}
