using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using BaiQianWan.Assess.Functions.Http;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using static BaiQianWan.Assess.Functions.Api.OpenApi.Schema;

namespace BaiQianWan.Assess.Functions.Api.OpenApi;

/// <summary>
/// <c>components/schemas</c> of the API description. The request and response records of <c>Http/ApiModels.cs</c> are
/// exported <see cref="JsonSchemaExporter"/> with the API's naming (camelCase), so a property
/// added, renamed or made nullable there is in the document with no edit here; a record used inside another is a
/// <c>$ref</c>. What the records cannot say (closed sets of words, the period's spelling, which fields a request may
/// leave out) is added by name below, and a test fails when a name here no longer matches a property. The results JSON
/// (written field by field by <c>ResultsJson</c>, the results contract) and RFC 7807 problems are described by hand,
/// and tests check served responses against them.
/// </summary>
internal static class ApiSchemas
{
    /// <summary>The API's records and their component names.</summary>
    public static IReadOnlyDictionary<Type, string> Records { get; } = new Dictionary<Type, string>
    {
        [typeof(EvaluationRequest)] = "EvaluationRequest",
        [typeof(RunDto)] = "Run",
        [typeof(DocumentsDto)] = "Documents",
        [typeof(RunSourceDto)] = "RunSource",
        [typeof(PublicationDto)] = "Publication",
        [typeof(RulesetDto)] = "RulesetVersion",
        [typeof(DeactivationDto)] = "Deactivation",
        [typeof(ValidationDto)] = "Validation",
        [typeof(RulesetErrorDto)] = "RulesetError",
        [typeof(RulesetWarningDto)] = "RulesetWarning",
        [typeof(ImportDto)] = "Import",
        [typeof(PreviewDto)] = "Preview",
        [typeof(PreviewRowDto)] = "PreviewRow",
        [typeof(LedgerChangeRequest)] = "LedgerChangeRequest",
        [typeof(LedgerImportDto)] = "LedgerImport",
        [typeof(LedgerNotAppliedDto)] = "LedgerNotApplied",
        [typeof(LedgerListDto)] = "LedgerList",
        [typeof(LedgerHistoryDto)] = "LedgerHistory",
        [typeof(LedgerTaskDto)] = "LedgerTask",
        [typeof(LedgerPendingDto)] = "LedgerPending",
        [typeof(LedgerEventDto)] = "LedgerEvent",
        [typeof(LedgerFileDto)] = "LedgerFile",
        [typeof(PublishRequest)] = "PublishRequest",
        [typeof(NoticesDto)] = "Notices",
        [typeof(ReviewChangeRequest)] = "ReviewChangeRequest",
        [typeof(ReviewListDto)] = "ReviewList",
        [typeof(ReviewDto)] = "Review",
        [typeof(ReviewFileDto)] = "ReviewFile",
    };

    /// <summary>The spelling of a period in addresses and bodies (<see cref="Period.TryParse"/>).</summary>
    public const string PeriodPattern = "^[0-9]{4}(Q[1-4]|-(0[1-9]|1[0-2]))?$";

    public static IEnumerable<string> Levels => Enum.GetValues<UnitLevel>().Select(l => l.ToText());

    /// <summary>What the records' types cannot say, by component and property (camelCase).</summary>
    private static Dictionary<(string Component, string Property), JsonObject> Refinements() => new()
    {
        [("EvaluationRequest", "period")] = PeriodSchema("期间：YYYYQn（季度）、YYYY（年度）或 YYYY-MM（月份，年初至该月）"),
        [("EvaluationRequest", "level")] = Ref("Level"),
        [("EvaluationRequest", "ruleset")] = String("规则集 id（月份 YYYY-MM 用该层级的月度监测 id，kind: monitor）"),
        [("EvaluationRequest", "version")] = Nullable(Minimum(Integer("规则集版本；null 或省略为启用的版本"), 1)),
        [("EvaluationRequest", "sample")] = Default(Boolean("数据为示例数据（文档标注“示例数据”）"), false),
        [("Run", "status")] = Words(Enum.GetValues<RunStatus>().Select(s => s.ToString().ToLowerInvariant()), "queued、running：进行中；succeeded：可发布；failed：见 reason"),
        [("Run", "level")] = Ref("Level"),
        [("Run", "period")] = PeriodSchema(),
        [("RunSource", "period")] = PeriodSchema("读取的期间：季度 YYYYQn 或月份 YYYY-MM"),
        [("Publication", "level")] = Ref("Level"),
        [("Publication", "period")] = PeriodSchema(),
        [("Publication", "state")] = Words(Enum.GetValues<NoticeState>().Select(s => s.ToText()), "provisional 公示中、final 正式、replaced 已替换（被更正的运行替换）、withdrawn 已撤回"),
        [("Publication", "stateName")] = Words(Enum.GetValues<NoticeState>().Select(s => s.ToChinese()), "状态的中文"),
        [("Publication", "noticeDays")] = Nullable(Minimum(Integer("公示期天数（自然日）；直接正式发布为 null"), 1)),
        [("Publication", "lastDay")] = Nullable(String("公示期的最后一天 YYYY-MM-DD（北京时间，到当日 24:00）；直接正式发布为 null")),
        [("PublishRequest", "noticeDays")] = Nullable(Range(Integer("公示期天数（1–" + Workflow.Reviews.Notice.MaxDays + " 个自然日，北京时间；截止于发布之日后第 N 天 24:00）；null 或省略为正式发布"), 1, Workflow.Reviews.Notice.MaxDays)),
        [("Notices", "period")] = PeriodSchema(),
        [("Notices", "level")] = Ref("Level"),
        [("ReviewChangeRequest", "decision")] = Nullable(Words(["uphold", "correct", "维持", "更正"], "答复：uphold 维持、correct 更正（仅答复时）")),
        [("Review", "period")] = PeriodSchema(),
        [("Review", "level")] = Ref("Level"),
        [("Review", "targetKind")] = Words(Enum.GetValues<ReviewTargetKind>().Select(k => k.ToText()), "复核的对象：indicator 指标、adjustment 加减分项、veto 否决项"),
        [("Review", "state")] = Words(Enum.GetValues<ReviewState>().Select(s => s.ToText()), "open 待答复、upheld 维持、correcting 更正中（更正的运行发布后为已更正）、corrected 已更正、withdrawn 已撤回"),
        [("Review", "stateName")] = Words(Enum.GetValues<ReviewState>().Select(s => s.ToChinese()), "状态的中文"),
        [("Import", "kind")] = Words(Enum.GetValues<ImportKind>().Select(k => k.ToString().ToLowerInvariant())),
        [("Preview", "period")] = PeriodSchema(),
        [("LedgerTask", "state")] = Nullable(Words(["in-progress", "submitted", "closed", "cancelled"], "状态；分组项（无责任单位）为 null")),
        [("LedgerTask", "light")] = Nullable(Words(["none", "blue", "yellow", "red"], "所查日期的督办灯：蓝 临期、黄 逾期、红 挂牌督办；单个任务的读取为 null")),
        [("LedgerChangeRequest", "date")] = Nullable(String("日期 YYYY-MM-DD：延期申请的新时限、调整或重新挂账的时限")),
        [("RulesetWarning", "code")] = Pattern(String("警告的代码：RS9001 权重合计不是 100（未写 totalCap）；RS9002 权重合计超过 totalCap"), "^RS9[0-9]{3}$"),
    };

    /// <summary>What a property means, where its name does not say it all.</summary>
    private static readonly Dictionary<(string Component, string Property), string> PropertyDescriptions = new()
    {
        [("Run", "id")] = "运行 id（run-NNNNNN）",
        [("Run", "version")] = "所用规则集版本",
        [("Run", "reason")] = "失败的原因；未失败时为 null",
        [("Run", "dataSha256")] = "评价所用数据的 SHA-256；尚未评价时为 null",
        [("Run", "actor")] = "请求者：令牌的主体，定时任务为 " + Workflow.Runs.RunOptions.TimerActor,
        [("Run", "heartbeatAt")] = "工作进程最后报告进度的时间",
        [("Run", "sample")] = "数据为示例数据",
        [("Run", "documents")] = "文档进度；尚无结果时为 null",
        [("Run", "sources")] = "年度运行读取的公布结果及各期间当前的发布；季度、月份运行或尚无结果时为 null",
        [("RunSource", "run")] = "年度运行读取的发布的运行；从没有运行 id 的文件读取时为 null",
        [("RunSource", "sha256")] = "读取的结果 JSON 的 SHA-256",
        [("RunSource", "currentRun")] = "该期间当前发布的运行；已撤回、没有发布时为 null",
        [("RunSource", "current")] = "读取的仍是当前的发布；为 false 时该期间已重新发布或撤回，年度结果不会自动重算，可重新运行本年度考评",
        [("Publication", "runId")] = "发布的运行",
        [("Publication", "actor")] = "发布者",
        [("Publication", "at")] = "发布时间",
        [("Publication", "revision")] = "该期间该层级第几次发布（从 1 起）",
        [("Publication", "deadline")] = "公示截止的时刻（不含）：最后一天之后那天的 00:00（北京时间）；在此之前可提出复核申请，此时起可转为正式发布；直接正式发布为 null",
        [("Publication", "closedBy")] = "转为正式发布、撤回或（发布另一运行而）替换它的人；没有时为 null",
        [("Publication", "closedAt")] = "何时",
        [("Publication", "closedNote")] = "撤回的原因，或替换它的运行",
        [("Notices", "current")] = "当前的发布及其公示；尚未发布时为 null",
        [("Notices", "history")] = "该期间该层级的每一次发布（按 revision）",
        [("Notices", "filed")] = "N：自首次公示以来就该期间的发布提出的复核申请件数",
        [("Notices", "corrected")] = "M：其中已更正的件数",
        [("Review", "id")] = "编号（rv-NNNNNN，按提出的顺序）",
        [("Review", "unit")] = "提出的单位",
        [("Review", "filedRunId")] = "提出时公示的运行",
        [("Review", "filedRevision")] = "提出时的发布（revision）",
        [("Review", "runId")] = "现在所在的发布的运行（未结的申请随替换的发布转移）",
        [("Review", "revision")] = "现在所在的发布（revision）",
        [("Review", "target")] = "指标、加减分项或否决项的 id",
        [("Review", "filedBy")] = "提出的单位账户",
        [("Review", "answer")] = "答复的理由，或撤回的原因；尚未答复时为 null",
        [("Review", "answeredBy")] = "答复（或撤回）者",
        [("Review", "correctingRunId")] = "已更正时：其发布更正了它的运行",
        [("Review", "closedAt")] = "结案时间（维持、已更正、已撤回）；未结为 null",
        [("Review", "version")] = "提出时为 1，每次变更加一",
        [("RulesetVersion", "sha256")] = "YAML 文本的 SHA-256",
        [("RulesetVersion", "author")] = "存储者",
        [("RulesetVersion", "active")] = "是否为启用的版本",
        [("RulesetVersion", "yaml")] = "YAML 文本（仅在读取单个版本时给出，否则为 null）",
        [("Validation", "sha256")] = "YAML 文本的 SHA-256",
        [("Validation", "warnings")] = "规则集有效，但可能不是本意之处（按出现顺序；没有时为空数组）：不阻止存储和使用",
        [("RulesetWarning", "line")] = "行号（从 1 起）",
        [("RulesetWarning", "column")] = "列号（从 1 起）",
        [("Import", "year")] = "单位表的年份；数据导入为 null",
        [("Import", "sha256")] = "文件的 SHA-256",
        [("Import", "rowCount")] = "导入的行数",
        [("Import", "alreadyImported")] = "同一文件已导入过：未重复写入",
        [("Preview", "activeVersion")] = "启用的版本；没有时为 null",
        [("PreviewRow", "activeTotal")] = "启用版本下的总分；没有启用版本或未评价该单位时为 null",
        [("PreviewRow", "totalChange")] = "总分变化（试算 − 启用）",
        [("PreviewRow", "rankChange")] = "名次上升的位数（负数为下降）",
    };

    /// <summary>Properties of request records a client may leave out (every response property is always written, maybe as null).</summary>
    private static readonly HashSet<(string, string)> Optional =
    [
        ("EvaluationRequest", "version"), ("EvaluationRequest", "sample"), ("PublishRequest", "noticeDays"),
        ("ReviewChangeRequest", "reason"), ("ReviewChangeRequest", "decision"),
    ];

    /// <summary>The descriptions of the records (their XML documentation is not shipped).</summary>
    private static readonly Dictionary<string, string> Descriptions = new()
    {
        ["EvaluationRequest"] = "请求一次评价运行",
        ["Run"] = "一次评价运行；heartbeatAt 为其工作进程最后报告进度的时间，超过一小时无进度的运行判为失败",
        ["Documents"] = "运行结果需要的文档数与已存储数",
        ["RunSource"] = "年度运行读取的一个公布结果，与该期间当前的发布对照",
        ["Publication"] = "某期间某层级的一次发布（revision 每次重新发布加一）及其公示：state 为 provisional（公示中，截止 deadline）、final、replaced 或 withdrawn",
        ["PublishRequest"] = "发布的选项（可省略）：noticeDays 给出时公示发布，否则正式发布",
        ["Notices"] = "某期间某层级当前的发布及其公示、全部发布，以及复核申请件数（N 件、更正 M 件）",
        ["ReviewChangeRequest"] = "复核申请的变更：reason 理由；答复时 decision 为 uphold（维持）或 correct（更正）",
        ["ReviewList"] = "复核申请（省办：全部；单位：本单位的）",
        ["Review"] = "一件复核申请及其答复",
        ["ReviewFile"] = "复核申请的佐证文件及其下载地址",
        ["RulesetVersion"] = "规则集的一个版本（yaml 仅在读取单个版本时给出）",
        ["Deactivation"] = "停用的结果：原先启用的版本，没有时为 null",
        ["Validation"] = "规则集校验结果",
        ["RulesetError"] = "规则集中的一处错误（行、列从 1 起）",
        ["RulesetWarning"] = "有效规则集的一处警告（代码、行、列从 1 起、说明）",
        ["Import"] = "一次导入；alreadyImported 为 true 表示同一文件已导入过，未重复写入",
        ["Preview"] = "规则集版本的试算：各单位在该版本与启用版本下的得分、名次和变化",
        ["PreviewRow"] = "试算中的一个单位（rankChange 为名次上升的位数）",
    };

    private static readonly JsonSerializerOptions ExportOptions = CreateExportOptions();

    private static JsonSerializerOptions CreateExportOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
            RespectNullableAnnotations = true,
        };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Every component schema, by name, in a fixed order.</summary>
    public static JsonObject All()
    {
        var schemas = new JsonObject();
        var refinements = Refinements();
        foreach (var (type, name) in Records) schemas[name] = FromRecord(type, name, refinements);
        var unused = refinements.Keys.Concat(PropertyDescriptions.Keys).Where(k => schemas[k.Component]?["properties"]?[k.Property] is null).ToList();
        if (unused.Count > 0)
            throw new InvalidOperationException("OpenAPI refinements name no property of the records: " + string.Join(", ", unused.Select(k => $"{k.Component}.{k.Property}")));
        schemas["Level"] = Words(Levels, "评价层级：county 县（市、区）、town 乡镇（街道）、village 行政村、city 地级市");
        schemas["Problem"] = Problem();
        schemas["RulesetProblem"] = RulesetProblem();
        foreach (var (name, schema) in ResultsSchemas.All()) schemas[name] = schema;
        return schemas;
    }

    private static JsonObject FromRecord(Type type, string name, Dictionary<(string, string), JsonObject> refinements)
    {
        var exporter = new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) =>
            {
                // A record inside another is its component; the exported node says whether it may be null.
                if (context.Path.Length > 0 && Records.TryGetValue(context.TypeInfo.Type, out var component))
                    return MayBeNull(node) ? Nullable(Ref(component)) : Ref(component);
                if (node is JsonObject o && Underlying(context.TypeInfo.Type) == typeof(decimal)) o["format"] = "decimal";
                if (node is JsonObject i && Underlying(context.TypeInfo.Type) == typeof(int)) i["format"] = "int32";
                return node;
            },
        };
        var schema = (JsonObject)JsonSchemaExporter.GetJsonSchemaAsNode(ExportOptions, type, exporter);
        schema.Remove("$schema");
        var properties = (JsonObject)schema["properties"]!;
        var required = new JsonArray();
        foreach (var property in properties.Select(p => p.Key).ToList())
        {
            if (refinements.TryGetValue((name, property), out var refined)) properties[property] = refined.DeepClone();
            if (PropertyDescriptions.TryGetValue((name, property), out var meaning)) properties[property]!["description"] = meaning;
            if (!Optional.Contains((name, property))) required.Add(property);
        }
        schema["required"] = required;
        if (Descriptions.TryGetValue(name, out var description)) schema["description"] = description;
        return schema;
    }

    private static Type Underlying(Type type) => System.Nullable.GetUnderlyingType(type) ?? type;

    private static bool MayBeNull(JsonNode node) =>
        node["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null");

    private static JsonObject PeriodSchema(string? description = null)
    {
        var schema = String(description);
        schema["pattern"] = PeriodPattern;
        return schema;
    }

    private static JsonObject Minimum(JsonObject schema, int minimum)
    {
        schema["minimum"] = minimum;
        return schema;
    }

    private static JsonObject Range(JsonObject schema, int minimum, int maximum)
    {
        schema["minimum"] = minimum;
        schema["maximum"] = maximum;
        return schema;
    }

    private static JsonObject Pattern(JsonObject schema, string pattern)
    {
        schema["pattern"] = pattern;
        return schema;
    }

    private static JsonObject Default(JsonObject schema, bool value)
    {
        schema["default"] = value;
        return schema;
    }

    /// <summary>RFC 7807 problem details (<see cref="Problems"/>): every error of the API is one.</summary>
    private static JsonObject Problem()
    {
        var schema = Object("RFC 7807 问题详情：所有错误都以此回答（application/problem+json）；被拒绝的文件逐条列出错误的位置（文件:行:列）",
        [
            ("type", String("问题类型的 URI")),
            ("title", String("简述")),
            ("status", Integer("HTTP 状态码")),
            ("detail", String("具体说明")),
            ("instance", String()),
            ("traceId", String()),
            ("errorCount", Integer("错误总数（被拒绝的数据文件 errors 最多列出 " + BaiQianWan.Assess.Workflow.Imports.ImportErrorReport.MaxShown + " 条）")),
            ("errors", Array(String(), "错误：FILE:ROW:COLUMN: 原因（数据文件：每类错误的前几行，再按文件顺序补足）")),
            ("errorKinds", Array(Object("同一类错误：一行汇总和前几行",
            [
                ("summary", String("如 84,791 行的期间不是 2025Q4")),
                ("count", Integer("这一类的错误数")),
                ("first", Array(String(), "前几处：FILE:ROW:COLUMN: 原因")),
            ]), "被拒绝的数据文件：每类错误一项")),
            ("allErrors", String("未全部列出时：如何取得全部错误（同一导入请求加 ?errors=csv）")),
        ], "type", "instance", "traceId", "errorCount", "errors", "errorKinds", "allErrors");
        return schema;
    }

    /// <summary>The 422 of an invalid ruleset: its errors are positioned objects.</summary>
    private static JsonObject RulesetProblem() => Object("规则集无效时的问题详情：errors 为带行列位置的错误",
    [
        ("type", String()),
        ("title", String()),
        ("status", Integer()),
        ("detail", String()),
        ("instance", String()),
        ("traceId", String()),
        ("errors", Array(Ref("RulesetError"))),
    ], "type", "instance", "traceId", "errors");
}
