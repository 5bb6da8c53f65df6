using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Monitors;

/// <summary>
/// Reads a YAML node tree into a <see cref="MonitorDefinition"/>, checking every rule of the monitor contract (§2.5)
/// at the node it names. Keeps going after an error so the author sees every problem at once.
/// </summary>
internal sealed partial class MonitorReader : YamlNodeReader
{
    private static readonly string[] TopKeys = ["kind", "id", "name", "level", "classes", "decimals", "indicators", "lights", "escalate"];
    private static readonly string[] IndicatorKeys = ["id", "name", "unit", "metric", "better", "pace", "curve", "when"];
    private static readonly string[] LightKeys = ["id", "name", "when"];
    private static readonly string[] EscalationKeys = ["light", "months", "to"];

    private MonitorReader(string source, List<RulesetDiagnostic> diagnostics) : base(source, diagnostics)
    {
    }

    public static MonitorDefinition? Read(string source, YamlNode root, List<RulesetDiagnostic> diagnostics)
    {
        var before = diagnostics.Count;
        var monitor = new MonitorReader(source, diagnostics).ReadMonitor(root);
        return diagnostics.Count == before ? monitor : null;
    }

    private MonitorDefinition? ReadMonitor(YamlNode root)
    {
        if (AsMapping(root, "通报规则") is not { } map) return null;
        CheckKeys(map, TopKeys, "通报规则");
        if (Required(map, "kind", "通报规则") is { } kindNode && !(kindNode is YamlScalar { IsPlain: true, Value: "monitor" } or YamlScalar { Value: "monitor" }))
            Error(kindNode, $"kind 只能是 monitor（月通报规则）；考核规则集不写 kind，这里是 {Show(kindNode)}", MonitorCodes.Kind);

        var id = RequiredText(map, "id", "通报规则");
        if (id is not null && !TextRules.IsCode(id))
        {
            Error(map["id"]!, $"通报规则 id '{TextRules.Escape(id)}' 不合规（只能是 1–32 位字母、数字、_ 或 -）", RulesetCodes.RulesetId);
            id = null;
        }
        var name = OptionalText(map, "name") ?? id;
        var level = ReadLevel(map);
        var classes = ReadClasses(map);
        var decimals = 2;
        if (map["decimals"] is { } decimalsNode)
        {
            if (WholeNumber(decimalsNode) is { } d && d is >= 0 and <= 6) decimals = (int)d;
            else Error(decimalsNode, $"decimals 应为 0 到 6 的整数，这里是 {Show(decimalsNode)}", MonitorCodes.Decimals);
        }
        var lights = ReadLights(map);
        var indicators = ReadIndicators(map, lights);
        var escalations = ReadEscalations(map, lights);
        if (id is null || level is null) return null;
        return new MonitorDefinition(id, name ?? id, level.Value, classes, decimals, indicators, lights, escalations);
    }

    private UnitLevel? ReadLevel(YamlMapping map)
    {
        if (Required(map, "level", "通报规则") is not { } node) return null;
        if (node is YamlScalar s && UnitLevels.TryParse(s.Value, out var level)) return level;
        Error(node, $"level 应为 city、county、town 或 village，这里是 {Show(node)}", RulesetCodes.Level);
        return null;
    }

    private ImmutableArray<string> ReadClasses(YamlMapping map)
    {
        if (Required(map, "classes", "通报规则") is not { } node || AsSequence(node, "classes") is not { } seq) return [];
        if (seq.Items.Count == 0) Error(seq, "classes 至少要有一个类别", RulesetCodes.NoClasses);
        var classes = ImmutableArray.CreateBuilder<string>();
        foreach (var item in seq.Items)
        {
            if (ScalarText(item, "类别名称") is not { } text) continue;
            if (!TextRules.IsKey(text)) Error(item, $"类别 '{TextRules.Escape(text)}' 不合规（{KeyRule}）", RulesetCodes.BadKeyText);
            else if (classes.Contains(text)) Error(item, $"重复的类别 '{text}'", RulesetCodes.DuplicateClass);
            else classes.Add(text);
        }
        return classes.ToImmutable();
    }

    private ImmutableArray<MonitorLight> ReadLights(YamlMapping map)
    {
        if (Required(map, "lights", "通报规则") is not { } node || AsSequence(node, "lights") is not { } seq) return [];
        if (seq.Items.Count < 2) Error(map.KeyNode("lights")!, $"lights 至少要有两种灯（这里有 {seq.Items.Count} 种）", MonitorCodes.TooFewLights);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var lights = ImmutableArray.CreateBuilder<MonitorLight>();
        for (var i = 0; i < seq.Items.Count; i++)
        {
            if (AsMapping(seq.Items[i], "灯") is not { } light) continue;
            CheckKeys(light, LightKeys, "灯");
            var id = KeyText(light, "id", "灯");
            if (id is not null && !ids.Add(id))
            {
                Error(light["id"]!, $"重复的灯 id '{id}'", MonitorCodes.DuplicateLight);
                id = null;
            }
            var name = OptionalText(light, "name") ?? id;
            var last = i == seq.Items.Count - 1;
            string? when = null;
            if (light["when"] is { } whenNode)
            {
                if (last && seq.Items.Count >= 2)
                    Error(light.KeyNode("when")!, $"最后一种灯{(id is null ? "" : $" '{id}'")} 不能有 when：没有亮前面各灯的单位都亮这一种", MonitorCodes.LastLightWhen);
                else when = CheckFormula(whenNode);
            }
            else if (!last)
            {
                Error(light, $"灯{(id is null ? "" : $" '{id}'")} 缺少 when（除最后一种灯外，每种灯都要有条件）", MonitorCodes.LightWithoutWhen);
            }
            if (id is not null) lights.Add(new MonitorLight(id, name ?? id, when, light.Position));
        }
        return lights.ToImmutable();
    }

    private ImmutableArray<MonitorIndicator> ReadIndicators(YamlMapping map, ImmutableArray<MonitorLight> lights)
    {
        if (Required(map, "indicators", "通报规则") is not { } node || AsSequence(node, "indicators") is not { } seq) return [];
        if (seq.Items.Count == 0) Error(seq, "indicators 至少要有一个指标", MonitorCodes.NoIndicators);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var result = ImmutableArray.CreateBuilder<MonitorIndicator>();
        foreach (var item in seq.Items)
        {
            if (AsMapping(item, "指标") is not { } ind) continue;
            CheckKeys(ind, IndicatorKeys, "指标");
            var id = KeyText(ind, "id", "指标");
            if (id is not null && !ids.Add(id))
            {
                Error(ind["id"]!, $"重复的指标 id '{id}'", MonitorCodes.DuplicateIndicator);
                id = null;
            }
            var what = id is null ? "指标" : $"指标 '{id}'";
            var name = OptionalText(ind, "name") ?? id;
            var unit = OptionalText(ind, "unit");
            var metric = MonitorMetric.Progress;
            if (ind["metric"] is { } metricNode)
            {
                switch (metricNode is YamlScalar ms ? ms.Value : null)
                {
                    case "progress": break;
                    case "growth": metric = MonitorMetric.Growth; break;
                    case "value": metric = MonitorMetric.Value; break;
                    default: Error(metricNode, $"metric 应为 progress、growth 或 value，这里是 {Show(metricNode)}", MonitorCodes.MetricOrPace); break;
                }
            }
            var better = Better.Higher;
            if (ind["better"] is { } betterNode)
            {
                switch (betterNode is YamlScalar bs ? bs.Value : null)
                {
                    case "higher": break;
                    case "lower": better = Better.Lower; break;
                    default: Error(betterNode, $"better 应为 higher 或 lower，这里是 {Show(betterNode)}", RulesetCodes.Better); break;
                }
            }
            var pace = PaceKind.Linear;
            var paceKey = ind.KeyNode("pace");
            if (ind["pace"] is { } paceNode)
            {
                if (metric != MonitorMetric.Progress)
                    Error(paceKey!, $"{what} 的 metric 不是 progress，不能有 pace（序时进度只用于完成进度）", MonitorCodes.PaceOnMetric);
                switch (paceNode is YamlScalar ps ? ps.Value : null)
                {
                    case "linear": break;
                    case "curve": pace = PaceKind.Curve; break;
                    case "plan": pace = PaceKind.Plan; break;
                    default: Error(paceNode, $"pace 应为 linear、curve 或 plan，这里是 {Show(paceNode)}", MonitorCodes.MetricOrPace); break;
                }
            }
            var curve = ImmutableArray<decimal>.Empty;
            if (ind["curve"] is { } curveNode)
            {
                if (pace != PaceKind.Curve)
                    Error(ind.KeyNode("curve")!, $"{what} 有 curve 但没有 pace: curve", MonitorCodes.CurveWithoutPace);
                else curve = ReadCurve(curveNode, what);
            }
            else if (pace == PaceKind.Curve)
            {
                Error(ind["pace"]!, $"{what} 的 pace: curve 缺少 curve（12 个月末的序时进度 %）", MonitorCodes.CurveWithoutPace);
            }
            var when = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            if (ind["when"] is { } whenNode && AsMapping(whenNode, "when") is { } whenMap)
            {
                foreach (var (key, value) in whenMap.Entries)
                {
                    var at = lights.Select((l, i) => (l, i)).FirstOrDefault(x => x.l.Id == key.Value);
                    if (at.l is null)
                    {
                        Error(key, $"{what} 的 when 中的 '{key.Value}' 不是 lights 中的灯{(lights.IsEmpty ? "" : $"（可用：{string.Join("、", lights.Take(lights.Length - 1).Select(l => l.Id))}）")}", MonitorCodes.WhenLight);
                        continue;
                    }
                    if (at.i == lights.Length - 1)
                    {
                        Error(key, $"{what} 的 when 不能给最后一种灯 '{key.Value}' 条件：没有亮前面各灯的单位都亮这一种", MonitorCodes.WhenLight);
                        continue;
                    }
                    if (CheckFormula(value) is { } formula) when[key.Value] = formula;
                }
            }
            if (id is not null) result.Add(new MonitorIndicator(id, name ?? id, unit, metric, better, pace, curve, when.ToImmutable(), ind.Position));
        }
        return result.ToImmutable();
    }

    private ImmutableArray<decimal> ReadCurve(YamlNode node, string what)
    {
        if (node is not YamlSequence seq || seq.Items.Count != 12)
        {
            Error(node, $"{what} 的 curve 应为 12 个数（各月末的序时进度 %，0 到 100，逐月不减），这里是{(node is YamlSequence s ? $" {s.Items.Count} 个" : node.KindName)}", MonitorCodes.BadCurve);
            return [];
        }
        var values = ImmutableArray.CreateBuilder<decimal>(12);
        decimal? previous = null;
        foreach (var item in seq.Items)
        {
            if (Number(item) is not { } v || v < 0 || v > 100)
            {
                Error(item, $"{what} 的 curve 的值应为 0 到 100 的数，这里是 {Show(item)}", MonitorCodes.BadCurve);
                return [];
            }
            if (previous is { } p && v < p)
            {
                Error(item, $"{what} 的 curve 不能逐月减少（{Plain(p)} 之后是 {Plain(v)}）", MonitorCodes.BadCurve);
                return [];
            }
            previous = v;
            values.Add(v);
        }
        return values.MoveToImmutable();
    }

    private ImmutableArray<Escalation> ReadEscalations(YamlMapping map, ImmutableArray<MonitorLight> lights)
    {
        if (map["escalate"] is not { } node || AsSequence(node, "escalate") is not { } seq) return [];
        var result = ImmutableArray.CreateBuilder<Escalation>();
        foreach (var item in seq.Items)
        {
            if (AsMapping(item, "升级规则") is not { } esc) continue;
            CheckKeys(esc, EscalationKeys, "升级规则");
            int? Light(string key)
            {
                if (Required(esc, key, "升级规则") is not { } valueNode || ScalarText(valueNode, key) is not { } text) return null;
                for (var i = 0; i < lights.Length; i++)
                    if (lights[i].Id == text) return i;
                Error(valueNode, $"升级规则的 {key} '{TextRules.Escape(text)}' 不是 lights 中的灯{(lights.IsEmpty ? "" : $"（可用：{string.Join("、", lights.Select(l => l.Id))}）")}", MonitorCodes.EscalationLight);
                return null;
            }
            var light = Light("light");
            var to = Light("to");
            int? months = null;
            if (Required(esc, "months", "升级规则") is { } monthsNode)
            {
                // more than 12 months can never hold within a year, but is not wrong: such an escalation never applies
                if (WholeNumber(monthsNode) is { } k && k >= 2 && k <= int.MaxValue) months = (int)k;
                else Error(monthsNode, $"升级规则的 months 应为不小于 2 的整数（连续几个月），这里是 {Show(monthsNode)}", MonitorCodes.EscalationMonths);
            }
            if (light is { } l && to is { } t && t >= l)
                Error(esc["to"]!, $"升级规则的 to '{lights[t].Id}' 应比 light '{lights[l].Id}' 更差（在 lights 中排在它前面）", MonitorCodes.EscalationNotWorse);
            else if (light is { } l2 && to is { } t2 && months is { } k2)
                result.Add(new Escalation(lights[l2].Id, k2, lights[t2].Id, esc.Position));
        }
        return result.ToImmutable();
    }

    /// <summary>Checks a light formula for the monitor's variables (up to binding), reporting its diagnostics at their YAML positions.</summary>
    private string? CheckFormula(YamlNode node)
    {
        if (node is not YamlScalar scalar || scalar.IsNull && scalar.Value.Length == 0)
        {
            Error(node, "条件公式应为一段文字", RulesetCodes.FormulaNotText);
            return null;
        }
        var compilation = FormulaCompiler.Check(scalar.Value, FormulaContext.Monitor);
        foreach (var d in compilation.Diagnostics)
        {
            var (at, length) = ScalarOffsets.LocateSpan(_source, scalar, d.Offset, d.Length);
            _diagnostics.Add(new RulesetDiagnostic(at, $"公式错误：{d.Message}", d.Code) { Length = length });
        }
        return compilation.Succeeded ? scalar.Value : null;
    }

    // ---- node helpers (as the ruleset reader's) ----

    private void CheckKeys(YamlMapping map, string[] allowed, string what)
    {
        foreach (var (key, _) in map.Entries)
        {
            if (allowed.Contains(key.Value)) continue;
            var hint = Formulas.Binding.Suggestions.Closest(key.Value, allowed);
            Error(key, $"{what} 中未知的键 '{key.Value}'{(hint is null ? "" : $"（是不是 '{hint}'？）")}", RulesetCodes.UnknownKey);
        }
    }

    private static decimal? Number(YamlNode node) =>
        node is YamlScalar { IsPlain: true } s && NumberPattern().IsMatch(s.Value)
        && decimal.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static decimal? WholeNumber(YamlNode node) => Number(node) is { } v && v == decimal.Truncate(v) ? v : null;

    private static string Plain(decimal d) => Evaluation.Numbers.Plain(d);

}
