using BaiQianWan.Assess.Workflow;
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
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "输入被拒绝，未写入任何数据",
                Detail = $"{rejected.FileName}：{rejected.Errors.Count} 处错误",
            },
            [.. rejected.Errors.Select(e => e.ToString())]),
        _ => null,
    };
}
