using System.Text.Json.Nodes;
using static BaiQianWan.Assess.Functions.Api.OpenApi.Schema;

namespace BaiQianWan.Assess.Functions.Api.OpenApi;

/// <summary>
/// The results JSON of a run (the rankings), as <c>ResultsJson</c> writes it field by field: numbers are exact decimals
/// without trailing zeros; a field the writer leaves out in some results (v3 additions) is optional here.
/// </summary>
internal static class ResultsSchemas
{
    public static IEnumerable<(string Name, JsonObject Schema)> All()
    {
        yield return ("Results", Object("一次运行的结果（排名）：规则集、数据指纹、每个单位的得分、名次、等次和每项指标的解释",
        [
            ("period", String("期间")),
            ("ruleset", Ref("ResultsRuleset")),
            ("data", Object("评价所用数据", [("sha256", String("数据的 SHA-256"))])),
            ("units", Array(Ref("UnitResult"), "评价的单位（同类内按名次）")),
            ("skipped", Array(Ref("SkippedUnit"), "未评价的单位及原因")),
            ("unknownIndicators", Array(String(), "数据中有、规则集中没有的指标")),
        ]));
        yield return ("ResultsRuleset", Object("评价所用的规则集",
        [
            ("id", String()),
            ("version", Nullable(Integer("版本；未存储的规则集为 null"))),
            ("sha256", String("规则集文本的 SHA-256")),
            ("name", String()),
            ("level", Ref("Level")),
            ("decimals", Integer("得分保留的小数位数")),
            ("classes", Array(String(), "类别")),
            ("grades", Array(String(), "等次，从高到低")),
            ("dimensions", Array(Ref("ResultsDimension"))),
            ("adjustments", Array(Ref("ResultsAdjustment"), "加分、扣分和一票否决项")),
        ]));
        yield return ("ResultsDimension", Object("维度及其指标",
        [
            ("id", String()),
            ("name", String()),
            ("indicators", Array(Ref("ResultsIndicator"))),
        ]));
        yield return ("ResultsIndicator", Object("指标",
        [
            ("id", String()),
            ("name", String()),
            ("unit", Nullable(String("计量单位"))),
            ("method", String("计分方法")),
            ("metric", String("度量")),
            ("better", String("方向")),
            ("core", Boolean("核心指标")),
        ]));
        yield return ("ResultsAdjustment", Object("加分、扣分或一票否决项",
        [
            ("id", String()),
            ("name", String()),
            ("kind", String()),
            ("grade", String("一票否决后可得的最高等次")),
        ], "grade"));
        yield return ("UnitResult", Object("一个单位的结果",
        [
            ("code", String("单位代码")),
            ("name", String()),
            ("class", String("类别")),
            ("total", Decimal("总分")),
            ("rank", Nullable(Integer("同类名次；不参与排名时为 null"))),
            ("peers", Integer("同类单位数")),
            ("levelRank", Nullable(Integer("全层级名次"))),
            ("levelPeers", Integer("全层级单位数")),
            ("grade", Nullable(String("等次；不评等次时为 null"))),
            ("lists", Array(String(), "所在榜单（如红榜、黑榜）")),
            ("rawTotal", Decimal("折算前的总分")),
            ("notes", Array(String(), "说明")),
            ("vetoes", Array(String(), "触发的一票否决项")),
            ("excluded", Boolean("不参与排名")),
            ("incomplete", Boolean("数据不全")),
            ("targetsMet", Boolean("各项目标均完成")),
            ("parent", Nullable(String("上级单位代码"))),
            ("dimensions", Array(Ref("UnitDimension"))),
            ("indicators", Array(Ref("UnitIndicator"))),
            ("adjustments", Array(Ref("UnitAdjustment"))),
            ("bonus", Decimal("加分")),
            ("penalty", Decimal("扣分")),
        ], "levelRank", "levelPeers", "rawTotal", "notes", "excluded"));
        yield return ("UnitDimension", Object("单位在一个维度的得分（有封顶或折算时另给 raw 和 explain）",
        [
            ("id", String()),
            ("score", Decimal()),
            ("raw", Decimal("封顶、折算前的小计")),
            ("max", Nullable(Decimal("满分；不设上限时为 null"))),
            ("explain", Nullable(String())),
        ], "raw", "explain"));
        yield return ("UnitIndicator", Object("单位在一项指标的得分和它的解释",
        [
            ("id", String()),
            ("score", Decimal()),
            ("max", Nullable(Decimal("满分；不设上限时为 null"))),
            ("missing", Nullable(String("缺数据时的原因"))),
            ("explain", String("得分的计算过程")),
            ("actual", Nullable(Decimal("实际值"))),
            ("target", Nullable(Decimal("目标值"))),
            ("baseline", Nullable(Decimal("基期值"))),
            ("metric", Nullable(Decimal("完成率或增速"))),
            ("targetMet", Boolean("完成目标")),
        ]));
        yield return ("UnitAdjustment", Object("单位的一项加分或扣分",
        [
            ("id", String()),
            ("points", Decimal("分值（加分封顶前）")),
            ("count", Decimal("读取的数量")),
        ]));
        yield return ("SkippedUnit", Object("未评价的单位", [("code", String()), ("reason", String())]));
    }
}
