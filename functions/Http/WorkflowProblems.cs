using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Publications;
using Microsoft.AspNetCore.Mvc;

namespace BaiQianWan.Assess.Functions.Http;

/// <summary>Maps the workflow's own refusals (invalid files and rulesets) to problem details.</summary>
internal static class WorkflowProblems
{
    public static ProblemDetails? ToProblem(Exception exception) => exception switch
    {
        InputRejectedException rejected => Problems.With(
            new ProblemDetails
            {
                // A file over a limit (size, rows, cells, string length) is 413; any other refusal 422.
                Status = rejected is InputTooLargeException ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status422UnprocessableEntity,
                Title = rejected is InputTooLargeException ? "文件超出限制，未写入任何数据" : "输入被拒绝，未写入任何数据",
                Detail = $"{rejected.FileName}：{rejected.Errors.Count} 处错误",
            },
            [.. rejected.Errors.Select(e => e.ToString())]),
        // A damaged archive that could not be rebuilt (the workflow logged why): not sent cut short, try later.
        ArchiveUnavailableException unavailable => new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "暂时无法下载",
            Detail = unavailable.Message,
        },
        _ => null,
    };
}
