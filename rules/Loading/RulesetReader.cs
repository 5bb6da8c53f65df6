using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Model;
using static BaiQianWan.Assess.Rules.Loading.ValueChecks;

namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>
/// Reads a YAML node tree into the ruleset model, checking everything the scoring contract (spec §2)
/// requires. It keeps going after an error so that the author sees every problem at once; a ruleset is
/// produced only when there is none. One file per section: this one the header (id, name, level, classes,
/// decimals) and the order sections are read in; RulesetReader.Sources (inputs, cadence, sources),
/// .Dimensions, .Indicators (each method's own keys are read by its file in rules/Methods/), .Adjustments,
/// .Vetoes, .Grades (grades and lists) and .Values (the checks every section shares).
/// </summary>
internal sealed partial class RulesetReader : YamlNodeReader, IMethodReader
{
    private static readonly string[] TopKeys =
        ["id", "name", "level", "classes", "decimals", "dimensions", "adjustments", "bonusCap", "totalCap", "grades", "lists", "inputs", "cadence", "sources"];

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

    private void ClaimItemId(string id, YamlNode node)
    {
        if (!_itemIds.Add(id)) Error(node, $"重复的 id '{id}'（指标和加减分项的 id 不能相同）", RulesetCodes.DuplicateItemId);
    }
}
