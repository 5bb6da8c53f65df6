using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>
/// Reads a YAML node tree into the ruleset model, checking everything the scoring contract (spec §2)
/// requires. It keeps going after an error so that the author sees every problem at once; a ruleset is
/// produced only when there is none.
/// </summary>
internal sealed partial class RulesetReader : YamlNodeReader
{
    private static readonly string[] TopKeys =
        ["id", "name", "level", "classes", "decimals", "dimensions", "adjustments", "bonusCap", "totalCap", "grades", "lists", "inputs", "cadence", "sources"];

    private static readonly string[] DimensionKeys = ["id", "name", "cap", "factor", "indicators"];

    private static readonly string[] IndicatorCommonKeys = ["id", "name", "unit", "weight", "better", "core", "method"];

    private static readonly Dictionary<string, string[]> MethodKeys = new(StringComparer.Ordinal)
    {
        ["completion"] = ["cap", "zeroBelow"],
        ["bands"] = ["metric", "bands"],
        ["rank"] = ["metric", "step", "floor"],
        ["efficacy"] = ["metric", "floor"],
        ["increment"] = ["metric", "base", "per", "cap"],
        ["formula"] = ["formula", "metric", "cap"],
        ["steps"] = ["metric", "base", "from", "up", "down", "zeroBelow", "zeroAbove"],
    };

    private static readonly string[] AllMethodKeys = MethodKeys.Values.SelectMany(k => k).Distinct().ToArray();

    private readonly HashSet<string> _itemIds = new(StringComparer.Ordinal);
    private ImmutableArray<string> _classes = [];
    private ImmutableArray<InputItem> _inputs = [];
    private string[] _inputIds = [];
    private readonly List<YamlNode> _classNodes = [];

    private RulesetReader(string source, List<RulesetDiagnostic> diagnostics) : base(source, diagnostics)
    {
    }

    public static Ruleset? Read(string source, YamlNode root, List<RulesetDiagnostic> diagnostics)
    {
        var before = diagnostics.Count;
        var ruleset = new RulesetReader(source, diagnostics).ReadRuleset(root);
        return diagnostics.Count == before ? ruleset : null;
    }

    private Ruleset? ReadRuleset(YamlNode root)
    {
        if (AsMapping(root, "规则集") is not { } map) return null;
        CheckKeys(map, TopKeys, "规则集");

        var id = RequiredText(map, "id", "规则集");
        if (id is not null && !TextRules.IsCode(id))
        {
            Error(map["id"]!, $"规则集 id '{TextRules.Escape(id)}' 不合规（只能是 1–32 位字母、数字、_ 或 -）", RulesetCodes.RulesetId);
            id = null;
        }
        var name = OptionalText(map, "name") ?? id;
        var level = ReadLevel(map);
        _classes = ReadClasses(map);
        var decimals = OptionalInteger(map, "decimals", 0, 10) ?? 2;

        // (v3) grades may be left out: every grade is null.
        var grades = map["grades"] is { } gradesNode ? ReadGrades(gradesNode) : GradeScheme.None;

        _inputs = ReadInputs(map);
        // (annual §1–2) cadence, and the sources whose generated inputs follow the declared ones.
        var cadence = ReadCadence(map);
        var sources = ReadSources(map, cadence);
        _inputs = _inputs.AddRange(sources.SelectMany(GeneratedInputs));
        _inputIds = [.. _inputs.Select(i => i.Id)];
        var before = _diagnostics.Count;
        var dimensions = ReadDimensions(map);
        if (_diagnostics.Count == before) CheckClassesCovered(dimensions);
        var adjustments = ReadAdjustments(map, grades);
        var bonusCap = OptionalDecimal(map, "bonusCap", NonNegative);
        var totalCap = map["totalCap"] is { } totalCapNode ? Decimal(totalCapNode, "totalCap", Positive, RulesetCodes.TotalCap) : null;
        var lists = map["lists"] is { } listsNode ? ReadLists(listsNode) : ListRules.None;
        CheckGeneratedInputsAgainstItems(map, sources);

        if (id is null || level is null || grades is null || lists is null) return null;
        return new Ruleset(id, name ?? id, level.Value, _classes, decimals, dimensions, adjustments, bonusCap, grades, lists)
        {
            TotalCap = totalCap,
            Inputs = _inputs,
            Cadence = cadence ?? Cadence.Quarter,
            Sources = sources,
        };
    }

    /// <summary>(v3, spec 2.7) <c>inputs</c>: data-only quantities whose ids are variables of indicator formulas.</summary>
    private ImmutableArray<InputItem> ReadInputs(YamlMapping map)
    {
        if (map["inputs"] is not { } node || AsSequence(node, "inputs") is not { } seq) return [];
        var result = ImmutableArray.CreateBuilder<InputItem>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in seq.Items)
        {
            if (AsMapping(item, "输入数据") is not { } input) continue;
            CheckKeys(input, ["id", "name", "unit"], "输入数据");
            if (RequiredText(input, "id", "输入数据") is not { } id) continue;
            var idNode = input["id"]!;
            if (!FormulaName().IsMatch(id))
            {
                Error(idNode, $"输入数据的 id '{TextRules.Escape(id)}' 要在公式里当名称用，只能由字母、数字和 _ 组成，且不以数字开头", RulesetCodes.InputId);
                continue;
            }
            if (Variables.Find(id, FormulaContext.Indicator) is not null || Formulas.Binding.FunctionTable.TryLookup(id, out _))
            {
                Error(idNode, $"输入数据的 id '{id}' 与公式的变量名或函数名相同（不分大小写），请换一个", RulesetCodes.InputClash);
                continue;
            }
            if (!seen.Add(id))
            {
                Error(idNode, $"输入数据的 id '{id}' 与另一个输入数据相同（不分大小写）", RulesetCodes.InputClash);
                continue;
            }
            ClaimItemId(id, idNode);
            result.Add(new InputItem(id, OptionalText(input, "name") ?? id, OptionalText(input, "unit")));
        }
        return result.ToImmutable();
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex FormulaName();

    /// <summary>(Annual §1) <c>cadence</c>: quarter (the default) or year; null after an error.</summary>
    private Cadence? ReadCadence(YamlMapping map)
    {
        if (map["cadence"] is not { } node) return Cadence.Quarter;
        switch (node is YamlScalar { IsNull: false } s ? s.Value : null)
        {
            case "quarter": return Cadence.Quarter;
            case "year": return Cadence.Year;
            default:
                Error(node, $"cadence 应为 quarter（季度考核，期间 YYYYQn）或 year（年度考核，期间 YYYY），这里是 {Show(node)}", SourceCodes.Cadence);
                return null;
        }
    }

    private static readonly string[] QuarterSourceKeys = ["id", "from", "figure", "dimension", "indicator"];

    private static readonly string[] MonthSourceKeys = ["id", "from", "light"];

    /// <summary>
    /// (Annual §2) <c>sources</c>: each entry's keys, its <c>from</c>, <c>figure</c> (and the dimension or indicator it needs),
    /// <c>light</c>, and its id and generated input ids against every other name a formula knows.
    /// </summary>
    private ImmutableArray<SourceItem> ReadSources(YamlMapping map, Cadence? cadence)
    {
        if (map["sources"] is not { } node) return [];
        if (cadence == Cadence.Quarter)
            Error(map.KeyNode("sources")!, map["cadence"] is null
                ? "sources（年度考核读取全年公布结果）只能用于 cadence: year 的规则集；本规则集没有 cadence，按季度考核"
                : "sources（年度考核读取全年公布结果）只能用于 cadence: year 的规则集；本规则集是 cadence: quarter", SourceCodes.SourcesWithoutYear);
        if (AsSequence(node, "sources") is not { } seq) return [];
        var result = ImmutableArray.CreateBuilder<SourceItem>();
        // Every name taken so far, ignoring case: formula variables and functions are checked through their tables.
        var taken = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var input in _inputs) taken[input.Id] = $"输入数据 '{input.Id}'";
        foreach (var item in seq.Items)
        {
            if (AsMapping(item, "数据来源") is not { } source) continue;
            SourceFrom? from = null;
            if (source["from"] is not { } fromNode)
                Error(source, "数据来源缺少 from（quarters：全年各季度公布的考核结果；months：全年各月公布的月度通报）", SourceCodes.From);
            else
            {
                switch (fromNode is YamlScalar { IsNull: false } fs ? fs.Value : null)
                {
                    case "quarters": from = SourceFrom.Quarters; break;
                    case "months": from = SourceFrom.Months; break;
                    default:
                        Error(fromNode, $"from 应为 quarters（各季度公布的考核结果）或 months（各月公布的月度通报），这里是 {Show(fromNode)}", SourceCodes.From);
                        break;
                }
            }
            CheckKeys(source, from switch
            {
                SourceFrom.Quarters => QuarterSourceKeys,
                SourceFrom.Months => MonthSourceKeys,
                _ => QuarterSourceKeys.Concat(MonthSourceKeys).Distinct(),
            }, from switch
            {
                SourceFrom.Quarters => "数据来源（from: quarters）",
                SourceFrom.Months => "数据来源（from: months）",
                _ => "数据来源",
            });

            var id = RequiredText(source, "id", "数据来源");
            var idNode = source["id"];
            var ok = id is not null && from is not null;
            if (id is not null && !FormulaName().IsMatch(id))
            {
                Error(idNode!, $"数据来源的 id '{TextRules.Escape(id)}' 要在公式里当名称用，只能由字母、数字和 _ 组成，且不以数字开头", SourceCodes.SourceId);
                ok = false;
                id = null;
            }

            SourceFigure? figure = null;
            string? of = null;
            string? light = null;
            if (from == SourceFrom.Quarters)
            {
                (figure, of) = ReadFigure(source);
                ok &= figure is not null;
            }
            else if (from == SourceFrom.Months)
            {
                if (source["light"] is not { } lightNode)
                {
                    Error(source, "from: months 的数据来源缺少 light（统计哪种灯，如 red）", SourceCodes.Light);
                    ok = false;
                }
                else if (ScalarText(lightNode, "light") is { } l)
                {
                    if (TextRules.IsKey(l)) light = l;
                    else
                    {
                        Error(lightNode, $"light '{TextRules.Escape(l)}' 不合规（{KeyRule}）", RulesetCodes.BadKeyText);
                        ok = false;
                    }
                }
                else ok = false;
            }

            if (id is not null && from is not null)
            {
                var names = new[] { id }.Concat(SourceItem.InputIdsOf(id, from.Value)).ToArray();
                var clash = false;
                foreach (var name in names)
                {
                    string? with = taken.TryGetValue(name, out var owner) ? owner
                        : Variables.Find(name, FormulaContext.Indicator) is not null ? "公式的变量名"
                        : Formulas.Binding.FunctionTable.TryLookup(name, out _) ? "公式的函数名"
                        : null;
                    if (with is null) continue;
                    Error(idNode!, name == id
                        ? $"数据来源的 id '{id}' 与{with}相同（不分大小写），请换一个"
                        : $"数据来源 '{id}' 生成的输入数据 '{name}' 与{with}相同（不分大小写），请换一个 id", SourceCodes.Clash);
                    clash = true;
                    break;
                }
                foreach (var name in names) taken.TryAdd(name, name == id ? $"数据来源 '{id}'" : $"数据来源 '{id}' 生成的输入数据 '{name}'");
                ok &= !clash;
            }
            if (ok) result.Add(new SourceItem(id!, from!.Value, figure, of, light, source.Position));
        }
        return result.ToImmutable();
    }

    /// <summary>A quarters source's <c>figure</c> and, for <c>dimension</c> / <c>indicator</c>, the id it names.</summary>
    private (SourceFigure? Figure, string? Of) ReadFigure(YamlMapping source)
    {
        if (source["figure"] is not { } figureNode)
        {
            Error(source, "from: quarters 的数据来源缺少 figure（total、rank、levelRank、bonus、penalty、dimension 或 indicator）", SourceCodes.Figure);
            return (null, null);
        }
        SourceFigure? figure = (figureNode is YamlScalar { IsNull: false } s ? s.Value : null) switch
        {
            "total" => SourceFigure.Total,
            "rank" => SourceFigure.Rank,
            "levelRank" => SourceFigure.LevelRank,
            "bonus" => SourceFigure.Bonus,
            "penalty" => SourceFigure.Penalty,
            "dimension" => SourceFigure.Dimension,
            "indicator" => SourceFigure.Indicator,
            _ => null,
        };
        if (figure is null)
            Error(figureNode, $"figure 应为 total、rank、levelRank、bonus、penalty、dimension 或 indicator，这里是 {Show(figureNode)}", SourceCodes.Figure);
        string? of = null;
        var failed = figure is null;
        foreach (var (key, needs) in new[] { ("dimension", SourceFigure.Dimension), ("indicator", SourceFigure.Indicator) })
        {
            if (source.KeyNode(key) is { } keyNode)
            {
                if (figure is not null && figure != needs)
                {
                    Error(keyNode, $"figure: {((YamlScalar)figureNode).Value} 不需要 {key}（只有 figure: {key} 才指明{(key == "dimension" ? "维度" : "指标")}）", SourceCodes.FigureTarget);
                    failed = true;
                }
                else if (figure == needs)
                {
                    of = KeyText(source, key, "数据来源");
                    failed |= of is null;
                }
            }
            else if (figure == needs)
            {
                Error(figureNode, $"figure: {key} 要用 {key}: <id> 指明读取季度结果中的哪个{(key == "dimension" ? "维度" : "指标")}", SourceCodes.FigureTarget);
                failed = true;
            }
        }
        return failed ? (null, null) : (figure, of);
    }

    /// <summary>The inputs a source declares (annual §2: <c>ruleset.md</c> 2.7 inputs with generated ids).</summary>
    private static IEnumerable<InputItem> GeneratedInputs(SourceItem source) => source.From == SourceFrom.Quarters
        ?
        [
            new(source.Id + "_q1", $"{source.Id}：第一季度", null),
            new(source.Id + "_q2", $"{source.Id}：第二季度", null),
            new(source.Id + "_q3", $"{source.Id}：第三季度", null),
            new(source.Id + "_q4", $"{source.Id}：第四季度", null),
            new(source.Id + "_first", $"{source.Id}：最早一个季度", null),
            new(source.Id + "_last", $"{source.Id}：最近一个季度", null),
            new(source.Id + "_count", $"{source.Id}：季度数", "个"),
        ]
        : [new(source.Id + "_months", $"{source.Id}：月份数", "个")];

    /// <summary>(Annual §2) No input id a source generates may equal an indicator's or adjustment's id (at the source's id).</summary>
    private void CheckGeneratedInputsAgainstItems(YamlMapping map, ImmutableArray<SourceItem> sources)
    {
        if (sources.IsEmpty || map["sources"] is not YamlSequence seq) return;
        foreach (var source in sources)
        {
            if (source.InputIds.FirstOrDefault(_itemIds.Contains) is not { } name) continue;
            var node = seq.Items.OfType<YamlMapping>().First(m => m.Position == source.Position)["id"]!;
            Error(node, $"数据来源 '{source.Id}' 生成的输入数据 '{name}' 与同名的指标或加减分项相同，请换一个 id", SourceCodes.Clash);
        }
    }

    private UnitLevel? ReadLevel(YamlMapping map)
    {
        if (Required(map, "level", "规则集") is not { } node) return null;
        if (node is YamlScalar s && UnitLevels.TryParse(s.Value, out var level)) return level;
        Error(node, $"level 应为 city、county、town 或 village，这里是 {Show(node)}", RulesetCodes.Level);
        return null;
    }

    private ImmutableArray<string> ReadClasses(YamlMapping map)
    {
        if (Required(map, "classes", "规则集") is not { } node) return [];
        if (AsSequence(node, "classes") is not { } seq) return [];
        if (seq.Items.Count == 0) Error(seq, "classes 至少要有一个类别", RulesetCodes.NoClasses);
        var classes = ImmutableArray.CreateBuilder<string>();
        foreach (var item in seq.Items)
        {
            if (ScalarText(item, "类别名称") is not { } name) continue;
            if (!TextRules.IsKey(name)) Error(item, $"类别 '{TextRules.Escape(name)}' 不合规（{KeyRule}）", RulesetCodes.BadKeyText);
            else if (classes.Contains(name)) Error(item, $"重复的类别 '{name}'", RulesetCodes.DuplicateClass);
            else
            {
                classes.Add(name);
                _classNodes.Add(item);
            }
        }
        return classes.ToImmutable();
    }

    /// <summary>A class that no indicator applies to would score every unit of it 0: a validation error at the class.</summary>
    private void CheckClassesCovered(ImmutableArray<Dimension> dimensions)
    {
        var indicators = dimensions.SelectMany(d => d.Indicators).ToList();
        if (indicators.Count == 0) return;
        for (var i = 0; i < _classes.Length; i++)
            if (!indicators.Any(ind => ind.Weight.TryGetFor(_classes[i], out _)))
                Error(_classNodes[i], $"类别 '{_classes[i]}' 没有任何指标适用（每个指标的权重都没有给这个类别），其单位会全部得 0 分", RulesetCodes.ClassUncovered);
    }

    private ImmutableArray<Dimension> ReadDimensions(YamlMapping map)
    {
        if (Required(map, "dimensions", "规则集") is not { } node || AsSequence(node, "dimensions") is not { } seq) return [];
        if (seq.Items.Count == 0) Error(seq, "dimensions 至少要有一个维度", RulesetCodes.NoDimensions);
        var dimensionIds = new HashSet<string>(StringComparer.Ordinal);
        var result = ImmutableArray.CreateBuilder<Dimension>();
        foreach (var item in seq.Items)
        {
            if (AsMapping(item, "维度") is not { } dim) continue;
            CheckKeys(dim, DimensionKeys, "维度");
            var id = KeyText(dim, "id", "维度");
            if (id is not null && !dimensionIds.Add(id)) Error(dim["id"]!, $"重复的维度 id '{id}'", RulesetCodes.DuplicateDimension);
            var name = OptionalText(dim, "name") ?? id;
            var indicators = ImmutableArray.CreateBuilder<Indicator>();
            if (Required(dim, "indicators", $"维度 '{id}'") is { } indNode && AsSequence(indNode, "indicators") is { } indSeq)
            {
                if (indSeq.Items.Count == 0) Error(indSeq, $"维度 '{id}' 没有指标", RulesetCodes.EmptyDimension);
                foreach (var ind in indSeq.Items)
                    if (ReadIndicator(ind) is { } indicator) indicators.Add(indicator);
            }
            var cap = dim["cap"] is { } capNode ? Decimal(capNode, "维度的 cap", Positive, RulesetCodes.DimensionCap) : null;
            var factor = dim["factor"] is { } factorNode ? Decimal(factorNode, "维度的 factor", Positive, RulesetCodes.DimensionFactor) : null;
            if (id is not null)
                result.Add(new Dimension(id, name!, indicators.ToImmutable(), dim.Position) { Cap = cap, Factor = factor });
        }
        return result.ToImmutable();
    }

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

        string? methodName = null;
        if (Required(map, "method", what) is { } methodNode)
        {
            methodName = ScalarText(methodNode, "method");
            if (methodName is not null && !MethodKeys.ContainsKey(methodName))
            {
                Error(methodNode, $"未知的计分方法 '{methodName}'（可用：completion、bands、rank、efficacy、increment、formula、steps）", RulesetCodes.UnknownMethod);
                methodName = null;
            }
        }
        var allowed = methodName is null ? IndicatorCommonKeys.Concat(AllMethodKeys) : IndicatorCommonKeys.Concat(MethodKeys[methodName]);
        CheckKeys(map, allowed, what, methodName);

        ScoringMethod? method = methodName switch
        {
            "completion" => ReadCompletion(map),
            "steps" => ReadSteps(map, what, map["method"]!, better ?? Better.Higher),
            "bands" => ReadBands(map, what, better ?? Better.Higher),
            "rank" => new RankMethod(ReadMetric(map, Metric.Value, what), OptionalDecimal(map, "step", NonNegative) ?? 0.05m,
                OptionalDecimal(map, "floor", UnitInterval) ?? 0m),
            "efficacy" => new EfficacyMethod(ReadMetric(map, Metric.Value, what), OptionalDecimal(map, "floor", UnitInterval) ?? 0.6m),
            "increment" => ReadIncrement(map, what),
            "formula" => ReadFormulaMethod(map, what),
            _ => null,
        };
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

    private CompletionMethod ReadCompletion(YamlMapping map)
    {
        // (v3) cap: none (the plain word) is 得分不封顶.
        if (map["cap"] is YamlScalar { IsPlain: true, Value: "none" })
            return new CompletionMethod(1m, OptionalDecimal(map, "zeroBelow", NonNegative) ?? 0m) { NoCap = true };
        var cap = Cap(map, Positive, allowNone: true) ?? 1m;
        var zeroBelow = OptionalDecimal(map, "zeroBelow", NonNegative) ?? 0m;
        return new CompletionMethod(cap, zeroBelow);
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

    private IncrementMethod ReadIncrement(YamlMapping map, string what) => new(
        ReadMetric(map, Metric.Growth, what, allowCompletion: false),
        OptionalDecimal(map, "base", NonNegative) ?? 0.8m,
        OptionalDecimal(map, "per", null) ?? 0m,
        Cap(map, Positive) ?? 1.2m);

    private static readonly string[] StepKeys = ["every", "points", "max"];

    /// <summary>(v3) <c>steps</c> (spec 2.1.1), each error at the node the spec names, with its code.</summary>
    private StepsMethod? ReadSteps(YamlMapping map, string what, YamlNode methodNode, Better better)
    {
        var metric = ReadMetric(map, Metric.Completion, what);
        var direction = metric == Metric.Completion ? Better.Higher : better;
        var ok = true;
        var @base = 1m;
        if (map["base"] is { } baseNode)
        {
            if (Decimal(baseNode, "base", NonNegative, RulesetCodes.StepsOutOfRange) is { } b) @base = b;
            else ok = false;
        }
        decimal? from = null;
        if (map["from"] is { } fromNode)
        {
            from = Decimal(fromNode, "from", null, RulesetCodes.StepsFrom);
            ok &= from is not null;
        }
        var up = map["up"] is { } upNode ? ReadStepRule(upNode, "up", ref ok) : null;
        var down = map["down"] is { } downNode ? ReadStepRule(downNode, "down", ref ok) : null;
        if (map["up"] is null && map["down"] is null)
        {
            Error(methodNode, $"{what} 的 steps 方法至少要有 up 或 down（每增加/每减少一档的分数）", RulesetCodes.StepsWithoutSide);
            ok = false;
        }
        var zeroBelowKey = map.KeyNode("zeroBelow");
        var zeroAboveKey = map.KeyNode("zeroAbove");
        if (zeroBelowKey is not null && direction == Better.Lower)
        {
            Error(zeroBelowKey, $"{what} 越低越好，不能用 zeroBelow（用 zeroAbove：高于多少不得分）", RulesetCodes.StepsThreshold);
            ok = false;
        }
        if (zeroAboveKey is not null && direction == Better.Higher)
        {
            Error(zeroAboveKey, $"{what} {(metric == Metric.Completion ? "按完成率计档（越高越好）" : "越高越好")}，不能用 zeroAbove（用 zeroBelow：低于多少不得分）", RulesetCodes.StepsThreshold);
            ok = false;
        }
        if (zeroBelowKey is not null && zeroAboveKey is not null)
        {
            Error(zeroAboveKey, $"{what} 不能同时有 zeroBelow 和 zeroAbove", RulesetCodes.StepsThreshold);
            ok = false;
        }
        var zeroBelow = map["zeroBelow"] is { } zb ? Decimal(zb, "zeroBelow", null) : null;
        var zeroAbove = map["zeroAbove"] is { } za ? Decimal(za, "zeroAbove", null) : null;
        ok &= (map["zeroBelow"] is null || zeroBelow is not null) && (map["zeroAbove"] is null || zeroAbove is not null);
        return ok ? new StepsMethod(metric, @base, from, up, down, zeroBelow, zeroAbove) : null;
    }

    private StepRule? ReadStepRule(YamlNode node, string side, ref bool ok)
    {
        if (AsMapping(node, side) is not { } map)
        {
            ok = false;
            return null;
        }
        CheckKeys(map, StepKeys, side, code: RulesetCodes.StepsUnknownKey);
        var every = Required(map, "every", side) is { } e ? Decimal(e, $"{side}.every", Positive, RulesetCodes.StepsOutOfRange) : null;
        var points = Required(map, "points", side) is { } p ? Decimal(p, $"{side}.points", NonNegative, RulesetCodes.StepsOutOfRange) : null;
        decimal? max = null;
        var maxOk = true;
        if (map["max"] is { } maxNode)
        {
            if (maxNode is YamlScalar { IsNull: true })
            {
                Error(maxNode, $"{side}.max 不能为空：不设上限请去掉 max（得分不封顶）", RulesetCodes.NullMax);
                maxOk = false;
            }
            else
            {
                max = Decimal(maxNode, $"{side}.max", NonNegative, RulesetCodes.StepsOutOfRange);
                maxOk = max is not null;
            }
        }
        if (every is null || points is null || !maxOk || map.Entries.Any(entry => !StepKeys.Contains(entry.Key.Value)))
        {
            ok = false;
            return null;
        }
        return new StepRule(every.Value, points.Value, max);
    }

    private BandsMethod? ReadBands(YamlMapping map, string what, Better better)
    {
        var metric = ReadMetric(map, Metric.Completion, what);
        var usesMax = metric != Metric.Completion && better == Better.Lower;
        if (Required(map, "bands", what) is not { } node || AsSequence(node, "bands") is not { } seq) return null;
        if (seq.Items.Count == 0)
        {
            Error(seq, "bands 至少要有一档", RulesetCodes.NoBands);
            return null;
        }
        var expected = usesMax ? "max" : "min";
        var wrong = usesMax ? "min" : "max";
        var bands = ImmutableArray.CreateBuilder<Band>();
        var bounds = new HashSet<decimal>();
        var ok = true;
        foreach (var item in seq.Items)
        {
            if (AsMapping(item, "分档") is not { } band)
            {
                ok = false;
                continue;
            }
            CheckKeys(band, ["min", "max", "score"], "分档");
            if (band.KeyNode(wrong) is { } wrongKey)
            {
                Error(wrongKey, metric == Metric.Completion
                    ? $"按完成率分档时只能用 min（完成率总是越高越好），这里用了 {wrong}"
                    : $"better: {(better == Better.Lower ? "lower" : "higher")} 的分档应使用 {expected}，这里用了 {wrong}", RulesetCodes.BandBound);
                ok = false;
                continue;
            }
            var bound = Required(band, expected, "分档") is { } b ? Decimal(b, expected, null) : null;
            var score = Required(band, "score", "分档") is { } sc ? Decimal(sc, "score", null) : null;
            if (bound is null || score is null)
            {
                ok = false;
                continue;
            }
            if (!bounds.Add(bound.Value))
            {
                Error(band[expected]!, $"分档的 {expected} {Format(bound.Value)} 与另一档相同", RulesetCodes.DuplicateBand);
                ok = false;
                continue;
            }
            bands.Add(new Band(bound.Value, score.Value));
        }
        return ok ? new BandsMethod(metric, usesMax, bands.ToImmutable()) : null;
    }

    private FormulaMethod? ReadFormulaMethod(YamlMapping map, string what)
    {
        var metric = ReadMetric(map, Metric.Value, what);
        var cap = Cap(map, Positive) ?? 1m;
        if (Required(map, "formula", what) is not { } node) return null;
        var text = CheckFormula(node, FormulaContext.Indicator);
        return text is null ? null : new FormulaMethod(metric, text, cap, node.Position);
    }

    private ImmutableArray<Adjustment> ReadAdjustments(YamlMapping map, GradeScheme? grades)
    {
        if (map["adjustments"] is not { } node) return [];
        if (AsSequence(node, "adjustments") is not { } seq) return [];
        var result = ImmutableArray.CreateBuilder<Adjustment>();
        foreach (var item in seq.Items)
            if (ReadAdjustment(item, grades) is { } adjustment) result.Add(adjustment);
        return result.ToImmutable();
    }

    private Adjustment? ReadAdjustment(YamlNode node, GradeScheme? grades)
    {
        if (AsMapping(node, "加减分项") is not { } map) return null;
        var id = KeyText(map, "id", "加减分项");
        var what = id is null ? "加减分项" : $"加减分项 '{id}'";
        if (id is not null) ClaimItemId(id, map["id"]!);
        var name = OptionalText(map, "name") ?? id;
        AdjustmentKind? kind = null;
        if (Required(map, "kind", what) is { } kindNode)
        {
            switch (ScalarText(kindNode, "kind"))
            {
                case "bonus": kind = AdjustmentKind.Bonus; break;
                case "penalty": kind = AdjustmentKind.Penalty; break;
                case "veto": kind = AdjustmentKind.Veto; break;
                case { } other: Error(kindNode, $"kind 应为 bonus、penalty 或 veto，这里是 '{other}'", RulesetCodes.AdjustmentKind); break;
            }
        }
        string[] allowed = kind switch
        {
            AdjustmentKind.Veto => ["id", "name", "kind", "grade", "when", "exclude"],
            null => ["id", "name", "kind", "per", "max", "formula", "grade", "when"],
            _ => ["id", "name", "kind", "per", "max", "formula"],
        };
        CheckKeys(map, allowed, what, kind?.ToString().ToLowerInvariant());
        if (kind is null || id is null) return null;

        if (kind == AdjustmentKind.Veto)
        {
            var exclude = false;
            if (map["exclude"] is { } excludeNode)
            {
                if (excludeNode is YamlScalar { IsPlain: true } ex && ex.Value is "true" or "false") exclude = ex.Value == "true";
                else
                {
                    Error(excludeNode, $"exclude 应为 true 或 false，这里是 {Show(excludeNode)}", RulesetCodes.ExcludeNotBoolean);
                    return null;
                }
            }
            string? grade = null;
            if (map["grade"] is { } gradeNode && ScalarText(gradeNode, "grade") is { } g)
            {
                var failed = false;
                if (exclude)
                {
                    Error(gradeNode, $"{what} 取消参评资格（exclude: true），不参加等次评定，不能再有 grade", RulesetCodes.ExcludeWithGrade);
                    failed = true;
                }
                if (grades is { Levels.IsEmpty: true })
                {
                    Error(gradeNode, $"否决后的等级 '{g}' 不是等级：规则集没有 grades", RulesetCodes.VetoGradeWithoutGrades);
                    failed = true;
                }
                else if (grades is not null && grades.IndexOf(g) < 0)
                {
                    Error(gradeNode, $"否决后的等级 '{g}' 不是 grades 中的等级", RulesetCodes.VetoGrade);
                    failed = true;
                }
                if (failed) return null;
                grade = g;
            }
            string? when = null;
            SourcePosition? whenPos = null;
            if (map["when"] is { } whenNode)
            {
                when = CheckFormula(whenNode, FormulaContext.Adjustment);
                if (when is null) return null;
                whenPos = whenNode.Position;
            }
            return new Adjustment(id, name!, kind.Value, null, null, null, grade, when, map.Position, whenPos) { Exclude = exclude };
        }

        var per = OptionalDecimal(map, "per", null);
        var max = OptionalDecimal(map, "max", NonNegative);
        string? formula = null;
        SourcePosition? formulaPos = null;
        if (map["formula"] is { } formulaNode)
        {
            if (map["per"] is not null)
            {
                Error(formulaNode, $"{what} 不能同时有 per 和 formula", RulesetCodes.PerAndFormula);
                return null;
            }
            formula = CheckFormula(formulaNode, FormulaContext.Adjustment);
            if (formula is null) return null;
            formulaPos = formulaNode.Position;
        }
        else if (map["per"] is null)
        {
            Error(map, $"{what} 缺少 per 或 formula", RulesetCodes.NoPerOrFormula);
            return null;
        }
        return new Adjustment(id, name!, kind.Value, per, max, formula, null, null, map.Position, formulaPos);
    }

    private GradeScheme? ReadGrades(YamlNode node)
    {
        if (AsMapping(node, "grades") is not { } map) return null;
        CheckKeys(map, ["by", "levels", "scope"], "grades");
        GradeBasis? by = null;
        if (Required(map, "by", "grades") is { } byNode)
        {
            switch (ScalarText(byNode, "by"))
            {
                case "rankShare": by = GradeBasis.RankShare; break;
                case "score": by = GradeBasis.Score; break;
                case { } other: Error(byNode, $"grades.by 应为 rankShare 或 score，这里是 '{other}'", RulesetCodes.GradesBy); break;
            }
        }
        if (Required(map, "levels", "grades") is not { } levelsNode || AsSequence(levelsNode, "levels") is not { } seq) return null;
        if (seq.Items.Count == 0)
        {
            Error(seq, "grades.levels 至少要有一个等级", RulesetCodes.NoGradeLevels);
            return null;
        }
        var levels = ImmutableArray.CreateBuilder<GradeLevel>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var shareSum = 0m;
        var ok = by is not null;
        for (var i = 0; i < seq.Items.Count; i++)
        {
            if (AsMapping(seq.Items[i], "等级") is not { } level)
            {
                ok = false;
                continue;
            }
            var last = i == seq.Items.Count - 1;
            CheckKeys(level, ["name", "share", "min"], "等级");
            var name = KeyText(level, "name", "等级");
            if (name is not null && !names.Add(name))
            {
                Error(level["name"]!, $"重复的等级 '{name}'", RulesetCodes.DuplicateGrade);
                ok = false;
            }
            decimal? share = null, min = null;
            var key = by == GradeBasis.Score ? "min" : "share";
            var other = by == GradeBasis.Score ? "share" : "min";
            if (by is not null && level.KeyNode(other) is { } otherKey)
            {
                Error(otherKey, by == GradeBasis.Score ? "按分数定等（by: score）的等级用 min，不用 share" : "按名次比例定等（by: rankShare）的等级用 share，不用 min", RulesetCodes.GradeShareOrMin);
                ok = false;
            }
            if (last)
            {
                if (level.KeyNode(key) is { } lastKey)
                {
                    Error(lastKey, $"最后一个等级承接其余单位，不能有 {key}", RulesetCodes.LastGradeKey);
                    ok = false;
                }
            }
            else if (by == GradeBasis.RankShare)
            {
                if (Required(level, "share", $"等级 '{name}'") is { } s && Decimal(s, "share", UnitInterval) is { } v)
                {
                    share = v;
                    shareSum += v;
                    if (shareSum > 1m)
                    {
                        Error(s, $"等级比例之和 {Format(shareSum)} 超过 1", RulesetCodes.ShareSum);
                        ok = false;
                    }
                }
                else ok = false;
            }
            else if (by == GradeBasis.Score)
            {
                if (Required(level, "min", $"等级 '{name}'") is { } m && Decimal(m, "min", null) is { } v) min = v;
                else ok = false;
            }
            if (name is not null) levels.Add(new GradeLevel(name, share, min));
        }
        var levelScope = false;
        if (map["scope"] is { } scopeNode)
        {
            var scope = scopeNode is YamlScalar ss ? ss.Value : null;
            if (scope is not ("class" or "level"))
            {
                Error(scopeNode, $"grades.scope 应为 class（类别内）或 level（全部参评单位），这里是 {Show(scopeNode)}", RulesetCodes.GradeScope);
                ok = false;
            }
            else if (by == GradeBasis.Score)
            {
                Error(scopeNode, "按分数定等（by: score）不分范围，不能有 scope", RulesetCodes.GradeScope);
                ok = false;
            }
            levelScope = scope == "level";
        }
        return ok ? new GradeScheme(by!.Value, levels.ToImmutable()) { LevelScope = levelScope } : null;
    }

    private ListRules? ReadLists(YamlNode node)
    {
        if (AsMapping(node, "lists") is not { } map) return null;
        CheckKeys(map, ["red", "black"], "lists");
        RedListRule? red = null;
        BlackListRule? black = null;
        var ok = true;
        if (map["red"] is { } redNode)
        {
            if (AsMapping(redNode, "lists.red") is { } r)
            {
                CheckKeys(r, ["top", "requireTargetsMet", "scope"], "红榜");
                var top = Required(r, "top", "红榜") is { } t ? ListCount(t, "top") : null;
                var require = OptionalBool(r, "requireTargetsMet") ?? false;
                var scope = ListScope(r);
                if (top is null || scope is null) ok = false;
                else red = new RedListRule(top.Value.Count, require) { Percent = top.Value.Percent, LevelScope = scope.Value };
            }
            else ok = false;
        }
        if (map["black"] is { } blackNode)
        {
            if (AsMapping(blackNode, "lists.black") is { } b)
            {
                CheckKeys(b, ["bottom", "requireTargetsMissed", "scope"], "黑榜");
                var bottom = Required(b, "bottom", "黑榜") is { } t ? ListCount(t, "bottom") : null;
                var require = OptionalBool(b, "requireTargetsMissed") ?? false;
                var scope = ListScope(b);
                if (bottom is null || scope is null) ok = false;
                else black = new BlackListRule(bottom.Value.Count, require) { Percent = bottom.Value.Percent, LevelScope = scope.Value };
            }
            else ok = false;
        }
        return ok ? new ListRules(red, black) : null;
    }

    /// <summary>(v3) A list's <c>scope</c>: false for class (the default), true for level, null after an error.</summary>
    private bool? ListScope(YamlMapping map)
    {
        if (map["scope"] is not { } node) return false;
        switch (node is YamlScalar s ? s.Value : null)
        {
            case "class": return false;
            case "level": return true;
            default:
                Error(node, $"scope 应为 class（类别内）或 level（全部参评单位），这里是 {Show(node)}", RulesetCodes.ListScope);
                return null;
        }
    }

    /// <summary>
    /// <c>top</c> / <c>bottom</c>: a whole number ≥ 0 as in v2, or (v3) a percentage <c>P%</c> with 0 &lt; P ≤ 100, no sign,
    /// space or exponent, plain or quoted.
    /// </summary>
    private (int Count, decimal? Percent)? ListCount(YamlNode node, string what)
    {
        if (node is YamlScalar s && !s.IsNull && s.Value.EndsWith('%'))
        {
            var body = s.Value[..^1];
            if (PercentPattern().IsMatch(body)
                && decimal.TryParse(body, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p) && p > 0m && p <= 100m)
                return (0, p);
            Error(node, $"{what} 应为不小于 0 的整数或 0 到 100 之间的百分比（如 20%），这里是 {Show(node)}", RulesetCodes.ListCount);
            return null;
        }
        if (node is YamlScalar { IsPlain: true } n && NumberPattern().IsMatch(n.Value)
            && decimal.TryParse(n.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
        {
            if (v >= 0m && v == decimal.Truncate(v) && v <= int.MaxValue) return ((int)v, null);
            Error(node, $"{what} 应为不小于 0 的整数或 0 到 100 之间的百分比（如 20%），这里是 {n.Value}", RulesetCodes.ListCount);
            return null;
        }
        Error(node, $"{what} 应为不小于 0 的整数或 0 到 100 之间的百分比（如 20%），这里是 {Show(node)}", RulesetCodes.ListCount);
        return null;
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
            _diagnostics.Add(new RulesetDiagnostic(ScalarOffsets.Locate(_source, scalar, d.Offset), $"公式错误：{d.Message}", d.Code));
        return compilation.Succeeded ? scalar.Value : null;
    }

    private void ClaimItemId(string id, YamlNode node)
    {
        if (!_itemIds.Add(id)) Error(node, $"重复的 id '{id}'（指标和加减分项的 id 不能相同）", RulesetCodes.DuplicateItemId);
    }

    // ---- generic node helpers ----

    private void CheckKeys(YamlMapping map, IEnumerable<string> allowed, string what, string? method = null, string? code = null)
    {
        var set = allowed as ICollection<string> ?? allowed.ToArray();
        foreach (var (key, _) in map.Entries)
        {
            if (set.Contains(key.Value)) continue;
            var hint = Suggest(key.Value, set);
            var methodNote = method is not null && AllMethodKeys.Contains(key.Value)
                ? $"（{method} 方法不用这个参数）"
                : hint is null ? "" : $"（是不是 '{hint}'？）";
            Error(key, $"{what} 中未知的键 '{key.Value}'{methodNote}", code ?? RulesetCodes.UnknownKey);
        }
    }

    // Only a likely typo is suggested ('metirc' → 'metric'), never a different word ('scope' is not 'core').
    private static string? Suggest(string key, IEnumerable<string> allowed) => Formulas.Binding.Suggestions.Closest(key, allowed);

    private bool? OptionalBool(YamlMapping map, string key)
    {
        if (map[key] is not { } node) return null;
        // YAML 1.2: only true and false are booleans; yes/no/on/off are plain words.
        if (node is YamlScalar { IsPlain: true } s && s.Value is "true" or "false") return s.Value == "true";
        Error(node, $"{key} 应为 true 或 false，这里是 {Show(node)}", RulesetCodes.NotBoolean);
        return null;
    }

    private decimal? OptionalDecimal(YamlMapping map, string key, Func<decimal, string?>? check) =>
        map[key] is { } node ? Decimal(node, key, check) : null;

    private int? OptionalInteger(YamlMapping map, string key, int min, int max) =>
        map[key] is { } node ? Integer(node, key, min, max) : null;

    private decimal? Decimal(YamlNode node, string what, Func<decimal, string?>? check, string? code = null)
    {
        if (node is not YamlScalar { IsPlain: true } s || !NumberPattern().IsMatch(s.Value)
            || !decimal.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            Error(node, $"{what} 应为数字，这里是 {Show(node)}", code ?? RulesetCodes.NotNumber);
            return null;
        }
        if (check?.Invoke(value) is { } problem)
        {
            Error(node, $"{what} {problem}，这里是 {s.Value}", code ?? RulesetCodes.OutOfRange);
            return null;
        }
        return value;
    }

    private int? Integer(YamlNode node, string what, int min, int max)
    {
        if (Decimal(node, what, null) is not { } value) return null;
        if (value != decimal.Truncate(value) || value < min || value > max)
        {
            Error(node, max == int.MaxValue
                ? $"{what} 应为不小于 {min} 的整数，这里是 {((YamlScalar)node).Value}"
                : $"{what} 应为 {min} 到 {max} 的整数，这里是 {((YamlScalar)node).Value}", RulesetCodes.OutOfRange);
            return null;
        }
        return (int)value;
    }

    private static string? Positive(decimal v) => v > 0 ? null : "必须大于 0";

    private static string? NonNegative(decimal v) => v >= 0 ? null : "不能为负数";

    private static string? UnitInterval(decimal v) => v is >= 0 and <= 1 ? null : "应在 0 到 1 之间";

    private static string Format(decimal d) => d.ToString(CultureInfo.InvariantCulture);

    // (v3) The P of a list percentage: digits with an optional fraction, no sign, space or exponent.
    [GeneratedRegex(@"^([0-9]+(\.[0-9]+)?|\.[0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex PercentPattern();
}
