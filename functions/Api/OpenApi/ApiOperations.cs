using System.Text.Json.Nodes;
using BaiQianWan.Assess.Functions.Http;
using static BaiQianWan.Assess.Functions.Api.OpenApi.Schema;

namespace BaiQianWan.Assess.Functions.Api.OpenApi;

/// <summary>What one HTTP function takes and answers, beyond what its attributes say (route, methods, policy).</summary>
/// <param name="Summary">One line.</param>
/// <param name="Description">More, or null.</param>
/// <param name="Parameters">Query and header parameters (path parameters come from the route).</param>
/// <param name="Body">The request body, or null.</param>
/// <param name="Responses">Successful answers (2xx, 3xx).</param>
/// <param name="Errors">Error statuses besides those every authenticated operation may answer (401, 403, 500).</param>
internal sealed record ApiOperation(string Summary, string? Description, IReadOnlyList<JsonObject> Parameters, JsonObject? Body,
    IReadOnlyList<(int Status, JsonObject Response)> Responses, IReadOnlyList<int> Errors);

/// <summary>
/// The API's operations by function name (the operation ids): every HTTP function under <c>/api</c> has exactly one
/// entry, or the document is not built (and a test fails). Statuses are those the function and the gate can answer:
/// <see cref="ApiException"/>, the store's refusals (<see cref="StoreStatus"/>), rejected files (<c>WorkflowProblems</c>),
/// body limits (<see cref="BodyReader"/>), and for a change sent with a session cookie the gate's 403/415.
/// </summary>
internal static class ApiOperations
{
    private const string Csv = "text/csv";
    private const string OctetStream = "application/octet-stream";

    public static IReadOnlyDictionary<string, ApiOperation> All { get; } = new Dictionary<string, ApiOperation>(StringComparer.Ordinal)
    {
        ["EvaluationsCreate"] = new("请求一次评价运行",
            "运行在后台进行：应答 202 和运行（queued），Location 指向它；轮询 GET /api/evaluations/{id} 直到 succeeded 或 failed。" +
            "带 Idempotency-Key 时重复请求应答同一运行；同一键用于不同的请求正文为 422。",
            [Header("Idempotency-Key", String("最长 200 个字符，不含控制字符"), "使重复请求安全：同一调用者同一键应答同一运行")],
            JsonBody("EvaluationRequest", ApiExamples.EvaluationRequest),
            [(202, Json("已受理：运行排队中", "Run", ApiExamples.QueuedRun, Location("运行的地址")))],
            [400, 404, 409, 413, 415, 422]),
        ["EvaluationsGet"] = new("读取一次运行及其文档进度", null, [], null,
            [(200, Json("运行", "Run", ApiExamples.SucceededRun))],
            [404]),
        ["EvaluationsPublish"] = new("发布一次成功的运行：正式发布，或给出 noticeDays 时公示发布",
            "重复发布同一运行不改变什么；发布另一运行使 revision 加一。noticeDays（地址或正文，两处都给时须相同）给出时为公示发布：" +
            "单位可在截止（发布之日后第 N 天 24:00，北京时间）前提出复核申请；同期间的公示发布被替换，其未结的申请转到新的发布，更正中的申请结案为已更正。" +
            "公示期未满或有待答复的申请时不能直接正式发布（409）。",
            [Query("noticeDays", Range(Integer(), 1, Workflow.Reviews.Notice.MaxDays), "公示期天数（自然日）；省略为正式发布")],
            OptionalJsonBody("PublishRequest", ApiExamples.PublishRequestExample),
            [(200, Json("发布记录及其公示", "Publication", ApiExamples.Provisional))],
            [400, 404, 409, 413, 415, 422]),
        ["EvaluationsResultsXlsx"] = new("运行结果的 XLSX 汇总表（发布前后均可）", "每类一张表、所用数据一张表；同一运行字节相同。", [IfNoneMatch()], null,
            [(200, File("XLSX 汇总表", Downloads.Xlsx)), (304, NotModified())],
            [404, 409]),
        ["Rankings"] = new("已发布的排名（结果 JSON）", "X-Run-Id 为已发布运行的 id；ETag 为内容的 SHA-256。",
            [Query("level", Ref("Level"), "层级", required: true), Query("class", String(), "只要这一类别"), IfNoneMatch()], null,
            [(200, Json("已发布运行的结果", "Results", ApiExamples.Results, RunIdHeader())), (304, NotModified())],
            [400, 404]),
        ["Scorecard"] = new("单位已发布的考核记分卡（PDF）", "省办可读任何单位的；单位只能读自己的（县也可读所辖乡镇的）。", [IfNoneMatch()], null,
            [(200, File("记分卡 PDF", Downloads.Pdf)), (304, NotModified())],
            [400, 404]),
        ["UnitResultsXlsx"] = new("单位在已发布结果中的行（XLSX）", "访问规则同记分卡。", [IfNoneMatch()], null,
            [(200, File("单位的结果 XLSX", Downloads.Xlsx, RunIdHeader())), (304, NotModified())],
            [400, 404]),
        ["ScorecardsZip"] = new("一个层级已发布的全部记分卡（ZIP）", "由已存的记分卡边组装边流式发送（条目不压缩、按代码排序、时间固定，字节每次相同），支持 Range（字节）与 If-None-Match；记分卡损坏时为 503。",
            [Query("level", Ref("Level"), "层级", required: true), IfNoneMatch(), Header("Range", String(), "字节范围，如 bytes=0-1023")], null,
            [(200, File("记分卡 ZIP", Downloads.Zip, RunIdHeader())), (206, File("所请求的字节范围", Downloads.Zip, RunIdHeader())), (304, NotModified())],
            [400, 404, 416, 503]),
        ["Bulletin"] = new("一个类别已发布的考核通报（PDF）", "单位只能读它在该次发布中所在类别的通报。", [IfNoneMatch()], null,
            [(200, File("通报 PDF", Downloads.Pdf)), (304, NotModified())],
            [400, 404]),
        ["Template"] = new("某期间某规则集的数据填报模板（XLSX）", null,
            [
                Query("ruleset", String(), "规则集 id", required: true),
                Query("version", Minimum1(Integer()), "规则集版本；省略为启用的版本"),
                Query("level", Ref("Level"), "给出时须与规则集的层级一致（否则 422）"),
                IfNoneMatch(),
            ], null,
            [(200, File("填报模板 XLSX", Downloads.Xlsx)), (304, NotModified())],
            [400, 404, 422]),
        ["ObservationsImport"] = new("导入一个期间的数据（observations.csv 或 XLSX）",
            "文件中所有的错误一次列出（文件:行:列）；被拒绝时不写入任何数据。同一文件重复导入应答 alreadyImported。",
            [
                Query("file", String(), "文件名（用于错误位置和导入记录）"),
                Query("errors", Words(["csv"]), "csv：被拒绝时以 CSV（文件,行,列,原因）应答全部错误，状态码不变"),
            ],
            FileBody("数据文件：CSV（UTF-8）或 XLSX"),
            [(200, Json("导入记录", "Import", ApiExamples.ObservationsImport))],
            [400, 409, 413, 415, 422]),
        ["UnitsImport"] = new("导入一年的单位及其类别（units.csv 或 XLSX）",
            "文件中所有的错误一次列出（文件:行:列）；被拒绝时不写入任何数据。",
            [
                Query("year", Range(Integer(), 1900, 9999), "年份", required: true),
                Query("file", String(), "文件名（用于错误位置和导入记录）"),
                Query("replaceAll", Boolean(), "true：以本文件替换该年全部单位"),
                Query("errors", Words(["csv"]), "csv：被拒绝时以 CSV（文件,行,列,原因）应答全部错误，状态码不变"),
            ],
            FileBody("单位文件：CSV（UTF-8）或 XLSX"),
            [(200, Json("导入记录", "Import", ApiExamples.UnitsImport))],
            [400, 409, 413, 415, 422]),
        ["LedgerImport"] = new("导入一年的任务清单（CSV 或 XLSX，整份写入或不写入）",
            "文件中所有的错误一次列出（文件:行:列）；被拒绝时不写入任何数据。再次导入新增任务、更新文字列；已有状态变更记录的任务，其状态和日期不改，列在 notApplied。仅省办。",
            [
                Query("file", String(), "文件名（用于错误位置）"),
                Query("errors", Words(["csv"]), "csv：被拒绝时以 CSV（文件,行,列,原因）应答全部错误，状态码不变"),
            ],
            FileBody("任务清单：CSV（UTF-8）或 XLSX"),
            [(200, Json("导入结果", "LedgerImport", ApiExamples.LedgerImport))],
            [400, 409, 413, 415, 422]),
        ["LedgerList"] = new("任务清单及督办灯（省办全部；单位只看本单位的）", "on 给出时为该日结束时的状态（由历史回放）和灯。",
            [
                Query("unit", String(), "只要这一责任单位的任务"),
                Query("state", Words(["in-progress", "submitted", "closed", "cancelled", "推进中", "待核验", "已销号", "中止"]), "只要这一状态的任务"),
                Query("on", String("YYYY-MM-DD"), "日期；省略为今天（北京时间）"),
                Query("remindDays", Integer(), "临期提醒天数（蓝灯），默认 3"),
                Query("redAfterDays", Integer(), "逾期超过该天数为红灯，默认 30"),
            ], null,
            [(200, Json("任务及其灯", "LedgerList", ApiExamples.LedgerList))],
            [400]),
        ["LedgerHistory"] = new("一项任务及其全部记录（谁、何时、做了什么、理由、文件）", "单位只能读本单位的任务；他人的任务应答 404。", [], null,
            [(200, Json("任务及其历史", "LedgerHistory", ApiExamples.LedgerHistory))],
            [400, 404]),
        ["LedgerSubmit"] = new("申请销号（责任单位，或省办代为申请）：说明和 1–10 个佐证文件",
            "文件类型由内容识别（PDF、PNG、JPEG、XLSX、DOCX），与文件名不符的被拒绝（422）；每个不超过 20 MB。",
            [], SubmitBody(),
            [(200, Json("变更后的任务", "LedgerTask", ApiExamples.LedgerTaskExample))],
            [400, 404, 409, 413, 415, 422]),
        ["LedgerClose"] = Change("核验通过（省办；不能由提交申请的账户核验）", "note 可选。"),
        ["LedgerReturn"] = Change("退回（省办）", "reason 必填；申请及其文件保留在历史中。"),
        ["LedgerExtend"] = Change("申请延期（责任单位，时限之前）", "reason 与 date（新的时限）必填。"),
        ["LedgerDecide"] = Change("批准或不批准延期（省办）", "approve 必填；批准后时限改为申请的日期，原时限记为 originalDue。"),
        ["LedgerReopen"] = Change("重新挂账（省办，回头看发现未完成）", "reason 必填；date 可给出新的时限。"),
        ["LedgerCancel"] = Change("中止（省办）", "reason 必填；已销号的任务不能中止。"),
        ["LedgerResume"] = Change("恢复中止的任务（省办）", "reason 必填。"),
        ["LedgerDeadline"] = Change("调整时限（省办）", "reason 与 date 必填；原时限记为 originalDue。"),
        ["LedgerFile"] = new("下载申请销号的佐证文件（省办、任务的责任单位及其上级）",
            "以附件下载（Content-Disposition: attachment，X-Content-Type-Options: nosniff），类型为识别出的类型；其他单位应答 404。", [IfNoneMatch()], null,
            [(200, EvidenceDownload()), (304, NotModified())],
            [400, 404]),
        ["LedgerObservations"] = new("一个期间的台账派生数据（CSV：unit,indicator,period,actual,target；仅省办）",
            "ledger_due、ledger_closed_on_time、ledger_closed、ledger_overdue、ledger_reopened，每个当年有任务的单位各一行。", [], null,
            [(200, Response("派生数据 CSV", new JsonObject { [Csv] = new JsonObject { ["schema"] = String() } }))],
            [400]),
        ["ReviewNotices"] = new("期间的发布及其公示、全部发布和复核申请件数（省办和单位）",
            "current 为当前的发布（公示中时有 deadline），history 为每一次发布；filed、corrected 为正式通报所述的“公示期间收到复核申请 N 件，更正 M 件”。", [], null,
            [(200, Json("发布、公示和件数", "Notices", ApiExamples.Notices))],
            [400]),
        ["ReviewFinal"] = new("公示期满后转为正式发布（省办）",
            "公示截止之后、每件复核申请都已答复且没有待发布的更正时才可以（否则 409）；正式发布不再改变。没有请求正文。", [], null,
            [(200, Json("正式的发布", "Publication", ApiExamples.MadeFinal))],
            [400, 404, 409, 415]),
        ["ReviewWithdrawPublication"] = new("撤回该运行的公示发布（省办，须说明原因）",
            "该运行须是其期间当前的公示发布；其未结的复核申请随之撤回。发布回到该期间最近的正式发布，没有时该期间不再有发布。应答被撤回的发布。", [],
            JsonBody("ReviewChangeRequest", ApiExamples.ReviewReason),
            [(200, Json("撤回的发布", "Publication", ApiExamples.Withdrawn))],
            [400, 404, 409, 413, 415, 422]),
        ["ReviewFile"] = new("提出复核申请（单位就本单位的结果，公示截止前）：对象、理由和 0–10 个佐证文件",
            "run 为公示中的运行；kind 与 target 指明指标、加减分项或否决项（须在本单位的结果中）。文件类型由内容识别（PDF、PNG、JPEG、XLSX、DOCX），" +
            "与文件名不符的被拒绝（422）；每个不超过 20 MB。截止之后或该运行已不是当前发布为 409；省办或没有结果的单位为 403。", [], ReviewFileBody(),
            [(201, Json("提出的申请", "Review", ApiExamples.Review, Location("申请的地址")))],
            [400, 404, 409, 413, 415, 422]),
        ["ReviewList"] = new("复核申请（省办全部；单位只看本单位的）", null,
            [
                Query("period", PeriodQuery(), "只要这一期间的"),
                Query("level", Ref("Level"), "只要这一层级的"),
                Query("state", Words(["open", "upheld", "correcting", "corrected", "withdrawn", "待答复", "维持", "更正中", "已更正", "已撤回"]), "只要这一状态的"),
            ], null,
            [(200, Json("复核申请", "ReviewList", ApiExamples.ReviewList))],
            [400]),
        ["ReviewGet"] = new("一件复核申请（省办，或提出的单位）", "其他单位为 403。", [], null,
            [(200, Json("复核申请", "Review", ApiExamples.Review))],
            [404]),
        ["ReviewAnswer"] = new("答复复核申请（省办）：维持或更正，须说明理由",
            "更正后申请为更正中，直到该期间的新运行发布（公示或正式），随后为已更正并记下该运行。只能答复待答复的申请（否则 409）。", [],
            JsonBody("ReviewChangeRequest", ApiExamples.ReviewAnswer),
            [(200, Json("答复后的申请", "Review", ApiExamples.ReviewAnswered))],
            [400, 404, 409, 413, 415, 422]),
        ["ReviewWithdraw"] = new("撤回本单位待答复的复核申请（单位）", "reason 可选。只有提出的单位可以撤回（否则 403）；已答复的不能撤回（409）。", [],
            JsonBody("ReviewChangeRequest", ApiExamples.ReviewReason),
            [(200, Json("撤回后的申请", "Review", ApiExamples.ReviewWithdrawn))],
            [400, 404, 409, 413, 415]),
        ["ReviewEvidence"] = new("下载复核申请的佐证文件（省办、提出的单位）",
            "以附件下载（Content-Disposition: attachment，X-Content-Type-Options: nosniff），类型为识别出的类型；其他单位为 403。", [IfNoneMatch()], null,
            [(200, EvidenceDownload()), (304, NotModified())],
            [404]),
        ["RulesetsValidate"] = new("校验规则集 YAML（不存储）", "有效指 NRules 也能编译它。", [], YamlBody(),
            [(200, Json("有效", "Validation", ApiExamples.Validation))],
            [400, 413, 415, RulesetInvalid]),
        ["RulesetsList"] = new("全部规则集版本（不含文本）", null, [], null,
            [(200, JsonArray("全部版本", "RulesetVersion", ApiExamples.RulesetList))],
            []),
        ["RulesetsPut"] = new("存储规则集 YAML 为新版本（YAML 中的 id 须与地址一致）", "同一文本再次存储时应答已有的版本（200）。", [], YamlBody(),
            [
                (201, Json("新版本", "RulesetVersion", ApiExamples.RulesetVersion, Location("新版本的地址"))),
                (200, Json("文本相同的已有版本", "RulesetVersion", ApiExamples.RulesetVersion)),
            ],
            [400, 409, 413, 415, RulesetInvalid]),
        ["RulesetsGetVersion"] = new("读取规则集的一个版本及其文本", null, [], null,
            [(200, Json("版本及其 YAML", "RulesetVersion", ApiExamples.RulesetWithText))],
            [404]),
        ["RulesetsActivate"] = new("启用一个版本（仅省办）", "replace=true 时替换同层级同类别已启用的另一规则集。",
            [Query("replace", Boolean(), "替换已启用的冲突规则集")], null,
            [(200, Json("启用的版本", "RulesetVersion", ApiExamples.RulesetVersion))],
            [400, 404, 409, 415, 422]),
        ["RulesetsDeactivate"] = new("停用规则集（版本保留，定时任务不再评价它；仅省办）", "没有启用的版本时应答 deactivated: null，重复调用不改变什么。", [], null,
            [(200, Json("停用结果", "Deactivation", ApiExamples.Deactivation))],
            [404, 409, 415]),
        ["RulesetsPreview"] = new("以某版本试算一个期间，并与启用的版本对照", null,
            [Query("period", PeriodQuery(), "期间", required: true)], null,
            [(200, Json("试算结果", "Preview", ApiExamples.Preview))],
            [400, 404, 409, 415, 422]),
    };

    /// <summary>A change of the ledger (§2): a JSON body, the task as changed.</summary>
    private static ApiOperation Change(string summary, string description) => new(summary,
        description + "单位只能办理本单位的任务；角色或单位不符为 403，任务状态不允许或已被他人修改为 409。", [],
        JsonBody("LedgerChangeRequest", ApiExamples.LedgerChange),
        [(200, Json("变更后的任务", "LedgerTask", ApiExamples.LedgerTaskExample))],
        [400, 404, 409, 413, 415, 422]);

    private static JsonObject SubmitBody() => new()
    {
        ["description"] = "note：说明；file：佐证文件（1–10 个）",
        ["required"] = true,
        ["content"] = new JsonObject
        {
            ["multipart/form-data"] = new JsonObject
            {
                ["schema"] = Object(null, [("note", String("说明")), ("file", Array(Binary(), "佐证文件"))]),
            },
        },
    };

    private static JsonObject ReviewFileBody() => new()
    {
        ["description"] = "run：公示中的运行；kind：indicator、adjustment 或 veto；target：其 id；reason：理由；file：佐证文件（0–10 个）",
        ["required"] = true,
        ["content"] = new JsonObject
        {
            ["multipart/form-data"] = new JsonObject
            {
                ["schema"] = Object(null,
                [
                    ("run", String("公示中的运行 id")),
                    ("kind", Words(["indicator", "adjustment", "veto"], "复核的对象：指标、加减分项或否决项")),
                    ("target", String("指标、加减分项或否决项的 id")),
                    ("reason", String("理由")),
                    ("file", Array(Binary(), "佐证文件")),
                ], "file"),
            },
        },
    };

    private static JsonObject EvidenceDownload()
    {
        var content = new JsonObject();
        foreach (var type in new[] { Downloads.Pdf, "image/png", "image/jpeg", Downloads.Xlsx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document" })
            content[type] = new JsonObject { ["schema"] = Binary() };
        return Response("佐证文件（其识别出的类型）", content, new JsonObject
        {
            ["ETag"] = new JsonObject { ["description"] = "内容的 SHA-256（强 ETag）", ["schema"] = String() },
            ["Content-Disposition"] = new JsonObject { ["description"] = "attachment，filename* 为上传时的文件名", ["schema"] = String() },
        });
    }

    /// <summary>Marks the 422 of an invalid ruleset (its errors are positioned objects).</summary>
    public const int RulesetInvalid = -422;

    /// <summary>What each error status means here.</summary>
    public static readonly IReadOnlyDictionary<int, string> ErrorDescriptions = new Dictionary<int, string>
    {
        [400] = "请求无效：参数或正文不合要求（detail 说明哪一项）",
        [401] = "缺少或无效的令牌",
        [403] = "令牌无此权限（或用会话 Cookie 从其他站点修改数据）",
        [404] = "未找到（运行、规则集版本、已发布的结果或文档、台账任务或文件、复核申请或其文件）",
        [409] = "状态冲突（如发布未成功的运行、公示截止后提出复核申请、有未答复的申请时转为正式发布）或并发冲突，可重试",
        [413] = "正文或文件超出限制，未写入任何数据",
        [415] = "用会话 Cookie 修改数据时 Content-Type 须为 application/json",
        [416] = "所请求的字节范围不在文件内",
        [422] = "输入被拒绝，未写入任何数据（errors 列出每一处）",
        [RulesetInvalid] = "规则集无效（errors 列出每一处的行列），或与地址、已有版本不符",
        [500] = "内部错误（已记录日志）",
        [503] = "暂时无法下载，请稍后重试",
    };

    private static JsonObject Json(string description, string component, JsonNode example, JsonObject? headers = null) =>
        Response(description, new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Ref(component), ["example"] = example } }, headers);

    private static JsonObject JsonArray(string description, string component, JsonNode example) =>
        Response(description, new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Array(Ref(component)), ["example"] = example } });

    private static JsonObject File(string description, string mediaType, JsonObject? headers = null)
    {
        var all = new JsonObject
        {
            ["ETag"] = new JsonObject { ["description"] = "内容的 SHA-256（强 ETag）", ["schema"] = String() },
            ["Content-Disposition"] = new JsonObject { ["description"] = "attachment，filename* 为中文文件名", ["schema"] = String() },
        };
        foreach (var (name, header) in headers ?? []) all[name] = header!.DeepClone();
        return Response(description, new JsonObject { [mediaType] = new JsonObject { ["schema"] = Binary() } }, all);
    }

    private static JsonObject NotModified() => new() { ["description"] = "客户端已有这一内容（If-None-Match 与 ETag 相同）" };

    private static JsonObject Response(string description, JsonObject content, JsonObject? headers = null)
    {
        var response = new JsonObject { ["description"] = description };
        if (headers is { Count: > 0 }) response["headers"] = headers;
        response["content"] = content;
        return response;
    }

    private static JsonObject Location(string description) =>
        new() { ["Location"] = new JsonObject { ["description"] = description, ["schema"] = String() } };

    private static JsonObject RunIdHeader() =>
        new() { ["X-Run-Id"] = new JsonObject { ["description"] = "已发布运行的 id", ["schema"] = String() } };

    private static JsonObject JsonBody(string component, JsonNode example) => new()
    {
        ["required"] = true,
        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Ref(component), ["example"] = example } },
    };

    private static JsonObject OptionalJsonBody(string component, JsonNode example)
    {
        var body = JsonBody(component, example);
        body["required"] = false;
        return body;
    }

    private static JsonObject FileBody(string description) => new()
    {
        ["description"] = description + $"，最大 {BodyReader.ImportLimit / 1024 / 1024} MB；XLSX 由内容识别",
        ["required"] = true,
        ["content"] = new JsonObject
        {
            [OctetStream] = new JsonObject { ["schema"] = Binary() },
            [Csv] = new JsonObject { ["schema"] = Binary() },
            [Downloads.Xlsx] = new JsonObject { ["schema"] = Binary() },
        },
    };

    private static JsonObject YamlBody() => new()
    {
        ["description"] = $"规则集 YAML（UTF-8），最大 {BodyReader.RulesetLimit / 1024} KB",
        ["required"] = true,
        ["content"] = new JsonObject
        {
            // The text as it is, under either type (a generator sends a text/plain string unchanged).
            ["text/plain"] = new JsonObject { ["schema"] = String(), ["example"] = ApiExamples.RulesetYaml },
            ["application/yaml"] = new JsonObject { ["schema"] = String(), ["example"] = ApiExamples.RulesetYaml },
        },
    };

    private static JsonObject Query(string name, JsonObject schema, string description, bool required = false) =>
        Parameter(name, "query", schema, description, required);

    private static JsonObject Header(string name, JsonObject schema, string description) => Parameter(name, "header", schema, description, false);

    private static JsonObject IfNoneMatch() => Header("If-None-Match", String(), "上次下载的 ETag：未变时应答 304");

    private static JsonObject Parameter(string name, string @in, JsonObject schema, string description, bool required) => new()
    {
        ["name"] = name,
        ["in"] = @in,
        ["description"] = description,
        ["required"] = required,
        ["schema"] = schema,
    };

    private static JsonObject Minimum1(JsonObject schema)
    {
        schema["minimum"] = 1;
        return schema;
    }

    private static JsonObject Range(JsonObject schema, int minimum, int maximum)
    {
        schema["minimum"] = minimum;
        schema["maximum"] = maximum;
        return schema;
    }

    public static JsonObject PeriodQuery()
    {
        var schema = String();
        schema["pattern"] = ApiSchemas.PeriodPattern;
        return schema;
    }
}
