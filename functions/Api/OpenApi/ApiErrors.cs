using System.Text.Json.Nodes;

namespace BaiQianWan.Assess.Functions.Api.OpenApi;

/// <summary>Error responses: RFC 7807 problem details (<c>application/problem+json</c>) with an example each.</summary>
internal static class ApiErrors
{
    /// <summary>The response for an error status (<see cref="ApiOperations.RulesetInvalid"/>: the 422 of an invalid ruleset).</summary>
    public static JsonObject Response(int status) => new()
    {
        ["description"] = ApiOperations.ErrorDescriptions[status],
        ["content"] = new JsonObject
        {
            ["application/problem+json"] = new JsonObject
            {
                ["schema"] = Schema.Ref(status == ApiOperations.RulesetInvalid ? "RulesetProblem" : "Problem"),
                ["example"] = ApiExamples.Problem(status),
            },
        },
    };
}
