using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Model;
using System.Text.RegularExpressions;
using BaiQianWan.Assess.Rules.Formulas;

namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>(v3, spec 2.7) <c>inputs</c>; (annual §1–2) <c>cadence</c> and <c>sources</c>.</summary>
internal sealed partial class RulesetReader
{
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
}
