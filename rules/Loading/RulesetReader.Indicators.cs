using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Model;
using static BaiQianWan.Assess.Rules.Loading.ValueChecks;
using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Methods;

namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>An indicator (spec 2, 2.1): id, name, unit, weight (per class), better, core and its method, read by the method's kind.</summary>
internal sealed partial class RulesetReader
{
    private static readonly string[] IndicatorCommonKeys = ["id", "name", "unit", "weight", "better", "core", "method"];

    private Indicator? ReadIndicator(YamlNode node)
    {
        if (AsMapping(node, "指标") is not { } map) return null;
        var id = KeyText(map, "id", "指标");
        var what = id is null ? "指标" : $"指标 '{id}'";
        if (id is not null) ClaimItemId(id, map["id"]!);
        var name = OptionalText(map, "name") ?? id;
        var unit = OptionalText(map, "unit");
        var weight = ReadWeight(map, what);
        var better = ReadBetter(map);
        var core = OptionalBool(map, "core") ?? false;

        IScoringMethodKind? kind = null;
        if (Required(map, "method", what) is { } methodNode && ScalarText(methodNode, "method") is { } methodName)
        {
            kind = ScoringMethods.Find(methodName);
            if (kind is null)
                Error(methodNode, $"未知的计分方法 '{methodName}'（可用：{string.Join("、", ScoringMethods.All.Select(m => m.Name))}）", RulesetCodes.UnknownMethod);
        }
        var allowed = kind is null ? IndicatorCommonKeys.Concat(ScoringMethods.AllKeys) : IndicatorCommonKeys.Concat(kind.Keys);
        CheckKeys(map, allowed, what, kind?.Name);

        // The method's own keys, with its defaults, are read by its file in rules/Methods/.
        var method = kind?.Read(new MethodSite(this, map, what, map["method"]!, better ?? Better.Higher));
        if (id is null || weight is null || better is null || method is null) return null;
        return new Indicator(id, name!, unit, weight, better.Value, core, method, map.Position);
    }

    private Weight? ReadWeight(YamlMapping map, string what)
    {
        if (Required(map, "weight", what) is not { } node) return null;
        if (node is YamlMapping perClass)
        {
            if (perClass.Entries.Count == 0)
            {
                Error(perClass, "按类别设置的权重不能为空", RulesetCodes.EmptyWeights);
                return null;
            }
            var weights = new List<KeyValuePair<string, decimal>>();
            var ok = true;
            foreach (var (key, value) in perClass.Entries)
            {
                if (!_classes.Contains(key.Value))
                {
                    Error(key, $"权重中的类别 '{key.Value}' 不在 classes 中", RulesetCodes.WeightClass);
                    ok = false;
                }
                if (Decimal(value, "权重", Positive) is { } w) weights.Add(new(key.Value, w));
                else ok = false;
            }
            return ok ? Weight.ByClass(weights) : null;
        }
        return Decimal(node, "权重", Positive) is { } uniform ? Weight.For(uniform) : null;
    }

    private Better? ReadBetter(YamlMapping map)
    {
        if (map["better"] is not { } node) return Better.Higher;
        switch (node is YamlScalar s ? s.Value : null)
        {
            case "higher": return Better.Higher;
            case "lower": return Better.Lower;
            default:
                Error(node, $"better 应为 higher 或 lower，这里是 {Show(node)}", RulesetCodes.Better);
                return null;
        }
    }

    private Metric ReadMetric(YamlMapping map, Metric fallback, string what, bool allowCompletion = true)
    {
        if (map["metric"] is not { } node) return fallback;
        switch (node is YamlScalar s ? s.Value : null)
        {
            case "completion" when allowCompletion: return Metric.Completion;
            case "value": return Metric.Value;
            case "growth": return Metric.Growth;
            case "change": return Metric.Change;
            default:
                Error(node, allowCompletion
                    ? $"metric 应为 completion、value、growth 或 change，这里是 {Show(node)}"
                    : $"{what} 的 increment 方法的 metric 只能是 growth、value 或 change，这里是 {Show(node)}", RulesetCodes.Metric);
                return fallback;
        }
    }

    /// <summary>A method's <c>cap</c>: a number; a string or a null is a v3 error at the value (<c>none</c> only on completion).</summary>
    private decimal? Cap(YamlMapping map, Func<decimal, string?> check, bool allowNone = false)
    {
        if (map["cap"] is not { } node) return null;
        if (node is YamlScalar s && (s.IsNull || !NumberPattern().IsMatch(s.Value)))
        {
            Error(node, s.Value == "none" && !allowNone
                ? "cap: none（得分不封顶）只能用于 completion 方法"
                : $"cap 应为大于 0 的数字{(allowNone ? "，或 none（得分不封顶）" : "")}，这里是 {(s.IsNull ? "空值" : Show(node))}", RulesetCodes.CapNone);
            return null;
        }
        return Decimal(node, "cap", check);
    }

    /// <summary>Checks a formula (up to binding: no code is emitted), reporting its diagnostics at their exact YAML positions.</summary>
    private string? CheckFormula(YamlNode node, FormulaContext context)
    {
        if (node is not YamlScalar scalar || scalar.IsNull && scalar.Value.Length == 0)
        {
            Error(node, "公式应为一段文字", RulesetCodes.FormulaNotText);
            return null;
        }
        var compilation = FormulaCompiler.Check(scalar.Value, context, _inputIds);
        foreach (var d in compilation.Diagnostics)
        {
            var (at, length) = ScalarOffsets.LocateSpan(_source, scalar, d.Offset, d.Length);
            _diagnostics.Add(new RulesetDiagnostic(at, $"公式错误：{d.Message}", d.Code) { Length = length });
        }
        return compilation.Succeeded ? scalar.Value : null;
    }

    // ---- what a method's reader asks (IMethodReader) ----

    YamlNode? IMethodReader.Required(YamlMapping map, string key, string what) => Required(map, key, what);

    YamlMapping? IMethodReader.AsMapping(YamlNode node, string what) => AsMapping(node, what);

    YamlSequence? IMethodReader.AsSequence(YamlNode node, string what) => AsSequence(node, what);

    void IMethodReader.CheckKeys(YamlMapping map, IEnumerable<string> allowed, string what, string? code) => CheckKeys(map, allowed, what, null, code);

    void IMethodReader.Error(YamlNode node, string message, string code) => Error(node, message, code);

    decimal? IMethodReader.Decimal(YamlNode node, string what, Func<decimal, string?>? check, string? code) => Decimal(node, what, check, code);

    decimal? IMethodReader.OptionalDecimal(YamlMapping map, string key, Func<decimal, string?>? check) => OptionalDecimal(map, key, check);

    Metric IMethodReader.ReadMetric(YamlMapping map, Metric fallback, string what, bool allowCompletion) => ReadMetric(map, fallback, what, allowCompletion);

    decimal? IMethodReader.Cap(YamlMapping map, Func<decimal, string?> check, bool allowNone) => Cap(map, check, allowNone);

    string? IMethodReader.CheckFormula(YamlNode node, FormulaContext context) => CheckFormula(node, context);
}
