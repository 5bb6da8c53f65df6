using System.Text.Json.Nodes;

namespace BaiQianWan.Assess.Functions.Api.OpenApi;

/// <summary>Error responses: RFC 7807 problem details (<c>application/problem+json</c>) with an example each.</summary>
internal static class ApiErrors
{
    /// <summary>The response for an error status (<see cref="ApiOperations.RulesetInvalid"/>: the 422 of an invalid ruleset).</summary>
    public static JsonObject Response(int status) => status == 416 ? RangeNotSatisfiable() : new()
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

    /// <summary>A range outside the file: answered by the framework's range processing with no body, only the length.</summary>
    private static JsonObject RangeNotSatisfiable() => new()
    {
        ["description"] = ApiOperations.ErrorDescriptions[416] + "（无正文；Content-Range 给出文件长度）",
        ["headers"] = new JsonObject { ["Content-Range"] = new JsonObject { ["description"] = "bytes */长度", ["schema"] = Schema.String() } },
    };
}
