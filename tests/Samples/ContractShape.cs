using System.Collections.Immutable;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace BaiQianWan.Assess.Tests.Samples;

/// <summary>
/// A structural check of a ruleset against the scoring contract (docs/rules.md; the contract's section 2):
/// known keys only, each method with exactly its own parameters, exact decimal numbers, booleans
/// spelled true/false, bands pointing the right way, formulas naming only known variables and
/// functions. It is a lint for the samples, not the engine's validator.
/// </summary>
internal static partial class ContractShape
{
    private static readonly ImmutableArray<string> RootKeys = ["id", "name", "level", "classes", "decimals", "dimensions", "adjustments", "bonusCap", "grades", "lists"];
    private static readonly ImmutableArray<string> IndicatorKeys = ["id", "name", "unit", "weight", "better", "core", "method"];
    private static readonly ImmutableArray<string> AdjustmentKeys = ["id", "name", "kind", "per", "max", "formula", "grade", "when"];
    private static readonly ImmutableArray<string> Functions = ["IF", "AND", "OR", "NOT", "MIN", "MAX", "ABS", "ROUND", "CLAMP"];
    private static readonly ImmutableArray<string> IndicatorVariables = ["actual", "target", "baseline", "weight", "completion", "growth", "rank", "peers", "classAvg"];

    // Table 2.1: the parameters each method takes (besides the common keys); null for an unknown method.
    private static string[]? MethodParameters(string method) => method switch
    {
        "completion" => ["cap", "zeroBelow"],
        "bands" => ["metric", "bands"],
        "rank" => ["metric", "step", "floor"],
        "efficacy" => ["metric", "floor"],
        "increment" => ["metric", "base", "per", "cap"],
        "formula" => ["formula", "metric", "cap"],
        _ => null,
    };

    public static List<string> Check(YamlMappingNode root)
    {
        var problems = new List<string>();
        Keys(root, "ruleset", RootKeys, problems);
        Require(root, "ruleset", ["id", "name", "level", "classes", "dimensions", "grades"], problems);
        OneOf(root, "level", ["county", "town", "village"], "ruleset", problems);
        WholeNumber(root, "decimals", "ruleset", problems);
        Decimal(root, "bonusCap", "ruleset", problems);

        var classes = Seq(root, "classes").Select(Scalar).ToList();
        if (classes.Distinct().Count() != classes.Count) problems.Add("duplicate class");

        var ids = new List<string>();
        foreach (var dimension in Seq(root, "dimensions").Cast<YamlMappingNode>())
        {
            Keys(dimension, "dimension", ["id", "name", "indicators"], problems);
            ids.Add(Text(dimension, "id") ?? "");
            foreach (var indicator in Seq(dimension, "indicators").Cast<YamlMappingNode>())
            {
                ids.Add(Text(indicator, "id") ?? "");
                CheckIndicator(indicator, classes, problems);
            }
        }

        var levels = CheckGrades(root, problems);
        foreach (var adjustment in Seq(root, "adjustments").Cast<YamlMappingNode>())
        {
            ids.Add(Text(adjustment, "id") ?? "");
            CheckAdjustment(adjustment, levels, problems);
        }
        foreach (var duplicate in ids.GroupBy(i => i).Where(g => g.Count() > 1))
            problems.Add($"duplicate id '{duplicate.Key}'");

        CheckLists(root, problems);
        return problems;
    }

    private static void CheckIndicator(YamlMappingNode node, List<string> classes, List<string> problems)
    {
        var id = Text(node, "id") ?? "?";
        var method = Text(node, "method") ?? "";
        if (MethodParameters(method) is not { } parameters)
        {
            problems.Add($"{id}: unknown method '{method}'");
            return;
        }
        Keys(node, id, [.. IndicatorKeys, .. parameters], problems);
        Require(node, id, ["id", "name", "weight", "method"], problems);
        OneOf(node, "better", ["higher", "lower"], id, problems);
        Boolean(node, "core", id, problems);
        foreach (var p in new[] { "cap", "zeroBelow", "step", "floor", "base", "per" })
            Decimal(node, p, id, problems);

        switch (node.Children[new YamlScalarNode("weight")])
        {
            case YamlMappingNode map:
                foreach (var (cls, w) in map.Children)
                {
                    if (!classes.Contains(Scalar(cls))) problems.Add($"{id}: weight for unlisted class '{Scalar(cls)}'");
                    Positive(w, id, problems);
                }
                break;
            case var w:
                Positive(w, id, problems);
                break;
        }

        var lower = Text(node, "better") == "lower";
        var metric = Text(node, "metric");
        if (metric is not null)
            OneOf(node, "metric", method == "increment" ? ["growth", "value"] : ["completion", "value", "growth"], id, problems);
        if (method == "bands") CheckBands(node, id, lower && (metric ?? "completion") != "completion", problems);
        if (method == "formula")
        {
            Require(node, id, ["formula"], problems);
            CheckFormula(Text(node, "formula") ?? "", IndicatorVariables, id, problems);
        }
    }

    private static void CheckBands(YamlMappingNode node, string id, bool useMax, List<string> problems)
    {
        Require(node, id, ["bands"], problems);
        var bound = useMax ? "max" : "min";
        var bounds = new List<string>();
        foreach (var band in Seq(node, "bands").Cast<YamlMappingNode>())
        {
            Keys(band, id + " band", [bound, "score"], problems);
            Require(band, id + " band", [bound, "score"], problems);
            Decimal(band, bound, id, problems);
            Decimal(band, "score", id, problems);
            bounds.Add(Text(band, bound) ?? "");
        }
        if (bounds.Count == 0) problems.Add($"{id}: no bands");
        if (bounds.Select(b => decimal.TryParse(b, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : 0m).Distinct().Count() != bounds.Count)
            problems.Add($"{id}: two bands with the same bound");
    }

    private static void CheckAdjustment(YamlMappingNode node, List<string> levels, List<string> problems)
    {
        var id = Text(node, "id") ?? "?";
        Keys(node, id, AdjustmentKeys, problems);
        Require(node, id, ["id", "name", "kind"], problems);
        Decimal(node, "per", id, problems);
        Decimal(node, "max", id, problems);
        var has = (string key) => Text(node, key) is not null;
        switch (Text(node, "kind"))
        {
            case "bonus" or "penalty":
                if (has("per") == has("formula")) problems.Add($"{id}: needs exactly one of per and formula");
                if (has("grade") || has("when")) problems.Add($"{id}: grade and when are for vetoes");
                break;
            case "veto":
                if (has("per") || has("max") || has("formula")) problems.Add($"{id}: a veto takes no per, max or formula");
                if (Text(node, "grade") is { } grade && !levels.Contains(grade)) problems.Add($"{id}: grade '{grade}' is not a level");
                break;
            default:
                problems.Add($"{id}: unknown kind");
                break;
        }
        foreach (var key in new[] { "formula", "when" })
            if (Text(node, key) is { } formula) CheckFormula(formula, ["count"], id, problems);
    }

    private static List<string> CheckGrades(YamlMappingNode root, List<string> problems)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("grades"), out var node)) return [];
        var grades = (YamlMappingNode)node;
        Keys(grades, "grades", ["by", "levels"], problems);
        OneOf(grades, "by", ["rankShare", "score"], "grades", problems);
        var key = Text(grades, "by") == "score" ? "min" : "share";
        var levels = Seq(grades, "levels").Cast<YamlMappingNode>().ToList();
        for (var i = 0; i < levels.Count; i++)
        {
            var last = i == levels.Count - 1;
            Keys(levels[i], "grade level", last ? ["name"] : ["name", key], problems);
            Require(levels[i], "grade level", last ? ["name"] : ["name", key], problems);
            Decimal(levels[i], key, "grade level", problems);
        }
        if (key == "share" && levels.Sum(l => Text(l, "share") is { } s ? decimal.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 0m) > 1m)
            problems.Add("grade shares sum above 1");
        return levels.Select(l => Text(l, "name") ?? "").ToList();
    }

    private static void CheckLists(YamlMappingNode root, List<string> problems)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("lists"), out var node)) return;
        var lists = (YamlMappingNode)node;
        Keys(lists, "lists", ["red", "black"], problems);
        foreach (var (name, count, flag) in new[] { ("red", "top", "requireTargetsMet"), ("black", "bottom", "requireTargetsMissed") })
        {
            if (!lists.Children.TryGetValue(new YamlScalarNode(name), out var list)) continue;
            var map = (YamlMappingNode)list;
            Keys(map, name, [count, flag], problems);
            WholeNumber(map, count, name, problems);
            Boolean(map, flag, name, problems);
        }
    }

    private static void CheckFormula(string formula, IEnumerable<string> variables, string where, List<string> problems)
    {
        foreach (Match name in Identifier().Matches(formula))
        {
            var known = Functions.Contains(name.Value, StringComparer.OrdinalIgnoreCase)
                || variables.Contains(name.Value, StringComparer.OrdinalIgnoreCase);
            if (!known) problems.Add($"{where}: unknown name '{name.Value}' in formula");
        }
        if (ChainedPower().IsMatch(formula)) problems.Add($"{where}: chained ^ needs parentheses");
        var depth = 0;
        foreach (var c in formula)
        {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0) break;
        }
        if (depth != 0) problems.Add($"{where}: unbalanced parentheses");
    }

    private static void Keys(YamlMappingNode node, string where, IEnumerable<string> allowed, List<string> problems)
    {
        foreach (var key in node.Children.Keys.Select(Scalar))
            if (!allowed.Contains(key)) problems.Add($"{where}: unknown key '{key}'");
    }

    private static void Require(YamlMappingNode node, string where, string[] required, List<string> problems)
    {
        foreach (var key in required)
            if (!node.Children.ContainsKey(new YamlScalarNode(key))) problems.Add($"{where}: missing '{key}'");
    }

    private static void OneOf(YamlMappingNode node, string key, string[] values, string where, List<string> problems)
    {
        if (Text(node, key) is { } value && !values.Contains(value)) problems.Add($"{where}: {key} '{value}' is not one of {string.Join(", ", values)}");
    }

    private static void Boolean(YamlMappingNode node, string key, string where, List<string> problems) =>
        OneOf(node, key, ["true", "false"], where, problems);

    private static void Decimal(YamlMappingNode node, string key, string where, List<string> problems)
    {
        if (Text(node, key) is { } value && !DecimalLiteral().IsMatch(value)) problems.Add($"{where}: {key} '{value}' is not a decimal number");
    }

    private static void WholeNumber(YamlMappingNode node, string key, string where, List<string> problems)
    {
        if (Text(node, key) is { } value && !WholeLiteral().IsMatch(value)) problems.Add($"{where}: {key} '{value}' is not a whole number");
    }

    private static void Positive(YamlNode weight, string where, List<string> problems)
    {
        var text = weight is YamlScalarNode s ? s.Value ?? "" : "";
        if (!DecimalLiteral().IsMatch(text) || text.StartsWith('-') || decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture) == 0m)
            problems.Add($"{where}: weight '{text}' is not a positive number");
    }

    private static IEnumerable<YamlNode> Seq(YamlMappingNode map, string key) => RulesetOutline.Sequence(map, key);

    private static string? Text(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode s ? s.Value : null;

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value ?? "";

    [GeneratedRegex("^-?[0-9]+(\\.[0-9]+)?$")]
    private static partial Regex DecimalLiteral();

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex WholeLiteral();

    [GeneratedRegex("[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Identifier();

    [GeneratedRegex("\\^\\s*-?[A-Za-z0-9_.]+\\s*\\^")]
    private static partial Regex ChainedPower();
}
