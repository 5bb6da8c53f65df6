using YamlDotNet.RepresentationModel;

namespace BaiQianWan.Assess.Tests.Samples;

/// <summary>One indicator of a ruleset, as far as the sample tests need it.</summary>
internal sealed record IndicatorOutline(string Id, string Method, string Metric, bool Lower, YamlNode Weight, YamlMappingNode Node)
{
    public static IndicatorOutline From(YamlMappingNode node)
    {
        var method = RulesetOutline.Text(node, "method")!;
        // Defaults of the contract's table 2.1; completion reads no metric option at all.
        var metric = RulesetOutline.Text(node, "metric") ?? method switch
        {
            "completion" or "bands" => "completion",
            "increment" => "growth",
            _ => "value",
        };
        return new IndicatorOutline(RulesetOutline.Text(node, "id")!, method, metric,
            RulesetOutline.Text(node, "better") == "lower", node.Children[new YamlScalarNode("weight")], node);
    }

    /// <summary>The weight for a class, or null if the indicator does not apply to that class.</summary>
    public decimal? WeightFor(string cls) => Weight switch
    {
        YamlMappingNode map => map.Children.TryGetValue(new YamlScalarNode(cls), out var w) ? RulesetOutline.Number(w) : null,
        _ => RulesetOutline.Number(Weight),
    };

    /// <summary>Growth is measured against the baseline, so rows of a growth indicator need one.</summary>
    public bool NeedsBaseline => Metric == "growth";
}
