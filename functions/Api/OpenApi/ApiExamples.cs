using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using BaiQianWan.Assess.Functions.Http;

namespace BaiQianWan.Assess.Functions.Api.OpenApi;

/// <summary>
/// One example of each body and response, made of the API's own records and serialized as the API serializes them, so an
/// example has the records' shape by construction; a test checks every example against its schema.
/// </summary>
internal static class ApiExamples
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly DateTimeOffset Requested = new(2025, 10, 8, 9, 0, 0, TimeSpan.FromHours(8));

    private static JsonNode Of<T>(T value) => JsonSerializer.SerializeToNode(value, Web)!;

    public static JsonNode EvaluationRequest => Of(new EvaluationRequest("2025Q3", "county", "county-2025", null));

    public static JsonNode QueuedRun => Of(new RunDto("run-000042", "2025Q3", "county", "county-2025", 3, "queued", null, null, "office",
        Requested, null, null, null, false));

    public static JsonNode SucceededRun => Of(new RunDto("run-000042", "2025Q3", "county", "county-2025", 3, "succeeded", null,
        "9f2c4e0a7b1d3c5e8f6a2b4d6c8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e", "office",
        Requested, Requested.AddSeconds(1), Requested.AddSeconds(40), Requested.AddSeconds(41), false, new DocumentsDto(120, 120, 3, 3)));

    public static JsonNode Publication => Of(FinalPublication);

    private static PublicationDto FinalPublication => new("2025Q3", "county", "run-000042", "office", Requested.AddMinutes(30), 1,
        "final", "正式", null, null, null, null, null, null);

    private static readonly DateTimeOffset Deadline = new(2025, 10, 14, 0, 0, 0, TimeSpan.FromHours(8));

    private static PublicationDto ProvisionalPublication => FinalPublication with
    {
        State = "provisional", StateName = "公示中", NoticeDays = 5, Deadline = Deadline, LastDay = "2025-10-13",
    };

    public static JsonNode Provisional => Of(ProvisionalPublication);

    public static JsonNode PublishRequestExample => Of(new PublishRequest(5));

    public static JsonNode MadeFinal => Of(ProvisionalPublication with { State = "final", StateName = "正式", ClosedBy = "office", ClosedAt = Deadline.AddHours(9) });

    public static JsonNode Withdrawn => Of(ProvisionalPublication with
    {
        State = "withdrawn", StateName = "已撤回", ClosedBy = "office", ClosedAt = Requested.AddDays(1), ClosedNote = "数据口径有误，核实后重新发布",
    });

    public static JsonNode Notices => Of(new NoticesDto("2025Q3", "county",
        ProvisionalPublication with { RunId = "run-000045", Revision = 2, At = Requested.AddDays(3), Deadline = Deadline.AddDays(3), LastDay = "2025-10-16", NoticeDays = 3 },
        [
            ProvisionalPublication with { State = "replaced", StateName = "已替换", ClosedBy = "office", ClosedAt = Requested.AddDays(3), ClosedNote = "run-000045" },
            ProvisionalPublication with { RunId = "run-000045", Revision = 2, At = Requested.AddDays(3), Deadline = Deadline.AddDays(3), LastDay = "2025-10-16", NoticeDays = 3 },
        ], 2, 1));

    private const string EvidenceSha = "3f5a7c9e1b3d5f7a9c0e2b4d6f8a0c1e3d5b7f9a2c4e6b8d0f1a3c5e7b9d2f4a";

    private static ReviewDto ReviewRequest => new("rv-000001", "2025Q3", "county", "440825", "run-000042", 1, "run-000042", 1, "indicator", "fai",
        "固定资产投资漏报了一个项目", [new ReviewFileDto("投资台账.pdf", "pdf", 183204, EvidenceSha, $"/api/reviews/rv-000001/files/{EvidenceSha}")],
        "unit:440825", Requested.AddHours(2), "open", "待答复", null, null, null, null, null, 1);

    public static JsonNode Review => Of(ReviewRequest);

    public static JsonNode ReviewAnswered => Of(ReviewRequest with
    {
        State = "correcting", StateName = "更正中", Answer = "核实漏报，更正数据后重新运行", AnsweredBy = "office", AnsweredAt = Requested.AddDays(1), Version = 2,
    });

    public static JsonNode ReviewWithdrawn => Of(ReviewRequest with
    {
        State = "withdrawn", StateName = "已撤回", Answer = "已弄清口径", AnsweredBy = "unit:440825", AnsweredAt = Requested.AddDays(1),
        ClosedAt = Requested.AddDays(1), Version = 2,
    });

    public static JsonNode ReviewList => Of(new ReviewListDto(
    [
        ReviewRequest with
        {
            State = "corrected", StateName = "已更正", Answer = "核实漏报，更正数据后重新运行", AnsweredBy = "office", AnsweredAt = Requested.AddDays(1),
            CorrectingRunId = "run-000045", ClosedAt = Requested.AddDays(3), Version = 3,
        },
        ReviewRequest with { Id = "rv-000002", Target = "honor", TargetKind = "adjustment", Reason = "荣誉应按两项计", Files = [], RunId = "run-000045", Revision = 2 },
    ]));

    public static JsonNode ReviewAnswer => Of(new ReviewChangeRequest("核实漏报，更正数据后重新运行", "correct"));

    public static JsonNode ReviewReason => Of(new ReviewChangeRequest("数据口径有误，核实后重新发布", null));

    private static RulesetDto Version(string? yaml) =>
        new("county-2025", 3, "0c7d1b9e5a3f2c4e6b8d0a1f3e5c7b9d2a4f6e8c0b1d3f5a7c9e1b3d5f7a9c0e", "author", Requested.AddDays(-7), true, yaml);

    public static JsonNode RulesetVersion => Of(Version(null));

    public static JsonNode RulesetWithText => Of(Version(RulesetYaml));

    public static JsonNode RulesetList => Of(new[] { Version(null) with { Version = 2, Active = false }, Version(null) });

    public static JsonNode Deactivation => Of(new DeactivationDto("county-2025", Version(null)));

    public static JsonNode Validation => Of(new ValidationDto(true, "county-2025", "县（市、区）高质量发展考核 2025", "county",
        "0c7d1b9e5a3f2c4e6b8d0a1f3e5c7b9d2a4f6e8c0b1d3f5a7c9e1b3d5f7a9c0e",
        [new RulesetWarningDto("RS9001", 4, 11, "类别 '创先' 的指标权重合计 110（经济 70 + 民生 40），不是 100 分：全部达标的单位得 110 分（总分不是百分制时可忽略；用 totalCap 写明总分）")]));

    public static JsonNode UnitsImport => Of(new ImportDto("imp-000007", "units", 2025, "units.csv",
        "5b1e3d7f9a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3d", 1729, "office", Requested.AddDays(-1), false));

    public static JsonNode ObservationsImport => Of(new ImportDto("imp-000008", "observations", null, "observations-2025Q3.xlsx",
        "7a9c1e3b5d7f9a2c4e6b8d0f2a4c6e8b0d1f3a5c7e9b2d4f6a8c0e1b3d5f7a9c", 41210, "office", Requested.AddHours(-2), false));

    private static LedgerTaskDto LedgerTask => new(2025, "K1", "S1", "举措", "建成省级产业园一期", "440825", "县发改局", "张三",
        "submitted", "待核验", "2025-06-30", null, null, "2025-06-20", "xian", null, 0, 2, null, null, null);

    public static JsonNode LedgerTaskExample => Of(LedgerTask);

    public static JsonNode LedgerChange => Of(new LedgerChangeRequest("征地未完成", null, "2025-09-30", null));

    public static JsonNode LedgerImport => Of(new LedgerImportDto(198, 2, 0, [new LedgerNotAppliedDto(7, "K3", "任务 K3 已有状态变更记录，文件中的完成时限 2025-05-31 未应用")]));

    public static JsonNode LedgerList => Of(new LedgerListDto("2025-07-10", [LedgerTask with { State = "in-progress", StateName = "推进中", SubmittedOn = null,
        SubmittedBy = null, Version = 1, Light = "yellow", LightName = "黄", DaysOverdue = 10 }]));

    public static JsonNode LedgerHistory => Of(new LedgerHistoryDto(LedgerTask,
    [
        new LedgerEventDto(1, "imported", "导入", "2025-01-10T01:00:00Z", "2025-01-10", "office", "import", null, "tasks-2025.csv", null, []),
        new LedgerEventDto(2, "submit", "申请销号", "2025-06-20T02:30:00Z", "2025-06-20", "xian", "unit", "440825", "一期已建成投产", null,
            [new LedgerFileDto("验收报告.pdf", "pdf", 183204, "3f5a7c9e1b3d5f7a9c0e2b4d6f8a0c1e3d5b7f9a2c4e6b8d0f1a3c5e7b9d2f4a",
                "/api/ledger/2025/tasks/K1/files/3f5a7c9e1b3d5f7a9c0e2b4d6f8a0c1e3d5b7f9a2c4e6b8d0f1a3c5e7b9d2f4a")]),
    ]));

    public static JsonNode Preview => Of(new PreviewDto("county-2025", 4, 3, "2025Q3",
    [
        new PreviewRowDto("440103", "荔湾区", "创先", 91.37m, 1, "优秀", 90.12m, 2, "优秀", 1.25m, 1),
        new PreviewRowDto("440104", "越秀区", "创先", 89.5m, 2, "良好", 90.3m, 1, "优秀", -0.8m, -1),
    ]));

    public const string RulesetYaml = "id: county-2025\nname: 县（市、区）高质量发展考核 2025\nlevel: county\n# …\n";

    /// <summary>A problem as the API writes it, for an error status.</summary>
    public static JsonNode Problem(int status) => status switch
    {
        401 => ProblemOf(Problems.Unauthorized("缺少访问令牌")),
        403 => ProblemOf(Problems.Forbidden()),
        500 => ProblemOf(Problems.Fault()),
        400 => ProblemOf(ApiException.BadRequest("期间应为 YYYY-MM、YYYYQn 或 YYYY（如 2025-06、2025Q3），这里是 '2025Q5'")),
        404 => ProblemOf(ApiException.NotFound("没有运行 run-000042")),
        409 => new JsonObject { ["title"] = "状态冲突", ["status"] = 409, ["detail"] = "运行 run-000042 的状态是 running，只有成功的运行可以发布" },
        413 => ProblemOf(new ApiException(413, "请求正文过大", $"这个接口最多接受 {BodyReader.ImportLimit / 1024} KB")),
        415 => new JsonObject { ["title"] = "请求无效", ["status"] = 415, ["detail"] = Auth.FunctionGate.JsonRequired },
        422 => ProblemOf(new ApiException(422, "输入被拒绝，未写入任何数据", "observations.csv：2 处错误",
            ["observations.csv:14:3: 数值 '12,5' 不是数字", "observations.csv:27:1: 未知单位 440999"])),
        ApiOperations.RulesetInvalid => new JsonObject
        {
            ["title"] = "规则集无效",
            ["status"] = 422,
            ["detail"] = "1 处错误",
            ["errors"] = new JsonArray(Of(new RulesetErrorDto(12, 7, "未知的计分方法 'lineer'"))),
        },
        503 => new JsonObject { ["title"] = "暂时无法下载", ["status"] = 503, ["detail"] = "2025Q3 county 的记分卡压缩包暂时无法生成，请稍后重试" },
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "no example problem"),
    };

    private static JsonNode ProblemOf(ApiException refusal) => ProblemOf(Problems.From(refusal)!);

    private static JsonNode ProblemOf(Microsoft.AspNetCore.Mvc.ProblemDetails problem)
    {
        var node = new JsonObject { ["title"] = problem.Title, ["status"] = problem.Status, ["detail"] = problem.Detail };
        foreach (var (name, value) in problem.Extensions) node[name] = JsonSerializer.SerializeToNode(value, Web);
        return node;
    }

    /// <summary>The results of a run with one class of one unit (an example of the results JSON's shape).</summary>
    public static JsonNode Results => JsonNode.Parse("""
        {
          "period": "2025Q3",
          "ruleset": {
            "id": "county-2025", "version": 3, "sha256": "0c7d1b9e5a3f2c4e6b8d0a1f3e5c7b9d2a4f6e8c0b1d3f5a7c9e1b3d5f7a9c0e",
            "name": "县（市、区）高质量发展考核 2025", "level": "county", "decimals": 2,
            "classes": ["创先"], "grades": ["优秀", "良好", "一般", "较差"],
            "dimensions": [
              { "id": "economy", "name": "经济发展", "indicators": [
                { "id": "gdp", "name": "地区生产总值", "unit": "亿元", "method": "ratio", "metric": "value", "better": "higher", "core": true } ] }
            ],
            "adjustments": [ { "id": "safety", "name": "重大安全事故", "kind": "veto", "grade": "一般" } ]
          },
          "data": { "sha256": "9f2c4e0a7b1d3c5e8f6a2b4d6c8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e" },
          "units": [
            {
              "code": "440103", "name": "荔湾区", "class": "创先", "total": 91.37, "rank": 1, "peers": 1, "grade": "优秀",
              "lists": ["红榜"], "vetoes": [], "incomplete": false, "targetsMet": true, "parent": null,
              "dimensions": [ { "id": "economy", "score": 91.37, "max": 100 } ],
              "indicators": [
                { "id": "gdp", "score": 91.37, "max": 100, "missing": null, "explain": "实际 1280.5 ÷ 目标 1401.5 = 91.37%，× 100 = 91.37",
                  "actual": 1280.5, "target": 1401.5, "baseline": 1210, "metric": 0.9137, "targetMet": false } ],
              "adjustments": [ { "id": "safety", "points": 0, "count": 0 } ],
              "bonus": 0, "penalty": 0
            }
          ],
          "skipped": [ { "code": "440105", "reason": "2025 年的单位表中没有类别" } ],
          "unknownIndicators": []
        }
        """)!;
}
