using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BaiQianWan.Assess.Functions.Api.OpenApi;
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
        [nameof(LedgerFunctions)] = "ledger",
        [nameof(ReviewFunctions)] = "reviews",
    };

    /// <summary>The document (anonymous).</summary>
    [Function("OpenApi")]
    [Access(Policies.Anonymous)]
    public Task<IResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/openapi.json")] HttpRequest request) =>
        Task.FromResult(Results.Text(Built.GetOrAdd(configuration["OpenApi:ServerUrl"] ?? "", url => Document(url)), "application/json; charset=utf-8"));

    /// <summary>The document by server URL: the code it describes does not change while the process runs, so it is built once.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Built = new(StringComparer.Ordinal);

    /// <summary>
    /// Builds the document for a server URL (null: relative): every HTTP function under <c>/api</c> with its route, methods
    /// and policy (from its attributes), what it takes and answers (<see cref="ApiOperations"/>), the schemas of the API's
    /// records (<see cref="ApiSchemas"/>) and an example of each body and response. A function without an entry in
    /// <see cref="ApiOperations"/> is still listed, with its path, methods and the errors every operation has, but no
    /// schema for its answer: the document never leaves a route out, and the tests (OpenApiDocumentTests) fail until it
    /// is described.
    /// </summary>
    public static string Document(string? serverUrl)
    {
        var functions = HttpFunctionCatalog.All.Where(f => f.Path.StartsWith("/api/", StringComparison.Ordinal)).ToList();
        var paths = new JsonObject();
        foreach (var function in functions)
        {
            var path = RouteConstraint().Replace(function.Path, "{$1}");
            if (paths[path] is not JsonObject item) paths[path] = item = new JsonObject();
            foreach (var method in function.Methods) item[method] = Operation(function);
        }
        var document = new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = new JsonObject
            {
                ["title"] = "BaiQianWan.Assess",
                ["version"] = "1",
                ["summary"] = "百千万工程考核评价：导入数据和规则集、评价、发布、下载记分卡和通报",
                ["description"] = "令牌用 `baiqianwan token --role office|author|unit [--unit CODE]` 签发，以 `Authorization: Bearer …` 发送。" +
                    "所有错误都是 RFC 7807 问题详情（application/problem+json）；被拒绝的文件和规则集逐条列出错误的位置。",
                ["license"] = new JsonObject { ["name"] = "MIT", ["identifier"] = "MIT" },
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = string.IsNullOrWhiteSpace(serverUrl) ? "/" : serverUrl.Trim() }),
            ["tags"] = new JsonArray([.. TagDescriptions.Select(t => (JsonNode)new JsonObject { ["name"] = t.Key, ["description"] = t.Value })]),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = ApiSchemas.All(),
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

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["evaluations"] = "评价运行：请求、轮询、发布、结果汇总表（省办）",
        ["periods"] = "期间：数据导入、填报模板、已发布的排名、记分卡、通报和压缩包",
        ["rulesets"] = "规则集：校验、存储版本、启用、停用、试算（省办和规则作者）",
        ["units"] = "单位及其类别（省办）",
        ["ledger"] = "任务清单台账（销号制）：导入、查看、申请销号、核验、退回、延期、重新挂账、中止、恢复、调整时限、佐证文件、派生数据（省办和单位；单位只能办理本单位的任务）",
        ["reviews"] = "公示与复核：期间的发布及其公示、转为正式发布、撤回公示、复核申请（单位就本单位的结果提出，附佐证材料）、答复维持或更正、撤回申请、佐证文件（省办和单位）",
        ["api"] = "本文档",
    };

    private static JsonObject Operation(HttpFunction function)
    {
        var parameters = new JsonArray();
        foreach (Match m in RouteParameter().Matches(function.Route))
            parameters.Add(new JsonObject
            {
                ["name"] = m.Groups[1].Value,
                ["in"] = "path",
                ["required"] = true,
                ["schema"] = PathSchema(m.Groups[1].Value, m.Groups[2].Value),
            });
        var operation = new JsonObject
        {
            ["operationId"] = function.Name,
            ["tags"] = new JsonArray(Tags.GetValueOrDefault(function.Method.DeclaringType!.Name, "api")),
            ["x-access"] = function.Policy,
        };
        // No token: the document itself.
        if (function.Policy == Policies.Anonymous) operation["security"] = new JsonArray();
        var responses = new JsonObject();
        if (function.Method.DeclaringType == typeof(OpenApiFunction))
        {
            operation["summary"] = "本 API 的 OpenAPI 3.1 文档";
            responses["200"] = new JsonObject
            {
                ["description"] = "OpenAPI 3.1 文档",
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } } },
            };
            responses["500"] = ApiErrors.Response(500);
            operation["responses"] = responses;
            return operation;
        }
        var described = ApiOperations.All.GetValueOrDefault(function.Name)
            ?? new ApiOperation(function.Name, null, [], null, [(200, new JsonObject { ["description"] = "成功" })], []);
        operation["summary"] = described.Summary;
        if (described.Description is not null) operation["description"] = described.Description;
        foreach (var parameter in described.Parameters) parameters.Add(parameter.DeepClone());
        if (parameters.Count > 0) operation["parameters"] = parameters;
        if (described.Body is not null) operation["requestBody"] = described.Body.DeepClone();
        foreach (var (status, response) in described.Responses) responses[Code(status)] = response.DeepClone();
        IEnumerable<int> always = function.Policy == Policies.Anonymous ? [500] : [401, 403, 500];
        foreach (var status in described.Errors.Concat(always).OrderBy(s => Math.Abs(s)).Distinct())
            responses[Code(Math.Abs(status))] = ApiErrors.Response(status);
        operation["responses"] = responses;
        return operation;
    }

    private static string Code(int status) => status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A path parameter's schema: a period's spelling, a level's words, an integer, else a string.</summary>
    private static JsonObject PathSchema(string name, string constraint) => (name, constraint) switch
    {
        (_, "int") => new JsonObject { ["type"] = "integer", ["format"] = "int32" },
        ("period", _) => ApiOperations.PeriodQuery(),
        ("level", _) => Schema.Ref("Level"),
        _ => new JsonObject { ["type"] = "string" },
    };

    [GeneratedRegex(@"\{(\w+):\w+\}")]
    private static partial Regex RouteConstraint();

    [GeneratedRegex(@"\{(\w+)(?::(\w+))?\}")]
    private static partial Regex RouteParameter();
}
