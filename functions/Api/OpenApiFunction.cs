using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace BaiQianWan.Assess.Functions.Api;

/// <summary>
/// <c>GET /api/openapi.json</c>: the OpenAPI 3.1 document of the HTTP functions, built from their attributes (the
/// same catalog both hosts serve). Its <c>servers</c> entry is <c>OpenApi:ServerUrl</c> when configured, else relative
/// (<c>/</c>): never the request's Host, which a client controls.
/// </summary>
public sealed partial class OpenApiFunction(IConfiguration configuration)
{
    private static readonly Dictionary<string, string> Tags = new(StringComparer.Ordinal)
    {
        [nameof(EvaluationFunctions)] = "evaluations",
        [nameof(PeriodFunctions)] = "periods",
        [nameof(RulesetFunctions)] = "rulesets",
        [nameof(UnitFunctions)] = "units",
    };

    /// <summary>The document (anonymous).</summary>
    [Function("OpenApi")]
    [Access(Policies.Anonymous)]
    public Task<IResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/openapi.json")] HttpRequest request) =>
        Task.FromResult(Results.Text(Document(configuration["OpenApi:ServerUrl"]), "application/json; charset=utf-8"));

    /// <summary>Builds the document for a server URL (null: relative).</summary>
    public static string Document(string? serverUrl)
    {
        var paths = new JsonObject();
        foreach (var function in HttpFunctionCatalog.All.Where(f => f.Policy is not (Policies.Anonymous or Policies.Portal)))
        {
            var path = RouteConstraint().Replace(function.Path, "{$1}");
            if (paths[path] is not JsonObject item) paths[path] = item = new JsonObject();
            var parameters = new JsonArray();
            foreach (Match m in RouteParameter().Matches(function.Route))
                parameters.Add(new JsonObject
                {
                    ["name"] = m.Groups[1].Value,
                    ["in"] = "path",
                    ["required"] = true,
                    ["schema"] = new JsonObject { ["type"] = m.Groups[2].Value == "int" ? "integer" : "string" },
                });
            var operation = new JsonObject
            {
                ["operationId"] = function.Name,
                ["tags"] = new JsonArray(Tags.GetValueOrDefault(function.Method.DeclaringType!.Name, "api")),
                ["summary"] = Summary(function.Method),
                ["x-access"] = function.Policy,
            };
            if (parameters.Count > 0) operation["parameters"] = parameters;
            operation["responses"] = new JsonObject
            {
                ["200"] = new JsonObject { ["description"] = "成功" },
                ["401"] = new JsonObject { ["description"] = "缺少或无效的令牌" },
                ["403"] = new JsonObject { ["description"] = "令牌无此权限" },
            };
            foreach (var method in function.Methods) item[method] = operation.DeepClone();
        }
        var document = new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = new JsonObject { ["title"] = "BaiQianWan.Assess", ["version"] = "1" },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = string.IsNullOrWhiteSpace(serverUrl) ? "/" : serverUrl.Trim() }),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject
                {
                    ["Bearer"] = new JsonObject
                    {
                        ["type"] = "http",
                        ["scheme"] = "bearer",
                        ["bearerFormat"] = "JWT",
                        ["description"] = "baiqianwan token --role office|author|unit [--unit CODE]",
                    },
                },
            },
            ["security"] = new JsonArray(new JsonObject { ["Bearer"] = new JsonArray() }),
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static string Summary(MethodInfo method) => method.GetCustomAttribute<DescriptionAttribute>()?.Description ?? method.Name;

    [GeneratedRegex(@"\{(\w+):\w+\}")]
    private static partial Regex RouteConstraint();

    [GeneratedRegex(@"\{(\w+)(?::(\w+))?\}")]
    private static partial Regex RouteParameter();
}
