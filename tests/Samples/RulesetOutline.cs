using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace BaiQianWan.Assess.Tests.Samples;

/// <summary>
/// What the sample tests need to know of a ruleset, read straight from its YAML with YamlDotNet's
/// representation model (the engine's own loader is not what these tests check).
/// </summary>
internal sealed record RulesetOutline(
    string Id,
    string Level,
    IReadOnlyList<string> Classes,
    IReadOnlyList<IndicatorOutline> Indicators,
    IReadOnlyList<string> AdjustmentIds,
    YamlMappingNode Root)
{
    public static RulesetOutline Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents.Single().RootNode;
        var indicators = Sequence(root, "dimensions")
            .SelectMany(d => Sequence((YamlMappingNode)d, "indicators"))
            .Cast<YamlMappingNode>()
            .Select(IndicatorOutline.From)
            .ToList();
        var adjustments = Sequence(root, "adjustments").Cast<YamlMappingNode>().Select(a => Text(a, "id")!).ToList();
        var classes = Sequence(root, "classes").Select(c => ((YamlScalarNode)c).Value!).ToList();
        return new RulesetOutline(Text(root, "id")!, Text(root, "level")!, classes, indicators, adjustments, root);
    }

    /// <summary>Every indicator and adjustment id.</summary>
    public IEnumerable<string> AllIds => Indicators.Select(i => i.Id).Concat(AdjustmentIds);

    public static IEnumerable<YamlNode> Sequence(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? ((YamlSequenceNode)node).Children : [];

    public static string? Text(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? ((YamlScalarNode)node).Value : null;

    public static decimal Number(YamlNode node) =>
        decimal.Parse(((YamlScalarNode)node).Value!, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
}
