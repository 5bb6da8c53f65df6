using Microsoft.AspNetCore.Mvc;

namespace BaiQianWan.Assess.Functions.Http;

/// <summary>Maps the workflow's own refusals (invalid files and rulesets) to problem details.</summary>
internal static class WorkflowProblems
{
    public static ProblemDetails? ToProblem(Exception exception) => null;
}
