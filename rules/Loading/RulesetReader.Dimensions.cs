using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Model;
using static BaiQianWan.Assess.Rules.Loading.ValueChecks;

namespace BaiQianWan.Assess.Rules.Loading;

/// <summary><c>dimensions</c> (spec 2, 2.6): ids, names, (v3) <c>cap</c> and <c>factor</c>, their indicators; every class covered.</summary>
internal sealed partial class RulesetReader
{
    private static readonly string[] DimensionKeys = ["id", "name", "cap", "factor", "indicators"];

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

    /// <summary>A class that no indicator applies to would score every unit of it 0: a validation error at the class.</summary>
    private void CheckClassesCovered(ImmutableArray<Dimension> dimensions)
    {
        var indicators = dimensions.SelectMany(d => d.Indicators).ToList();
        if (indicators.Count == 0) return;
        for (var i = 0; i < _classes.Length; i++)
            if (!indicators.Any(ind => ind.Weight.TryGetFor(_classes[i], out _)))
                Error(_classNodes[i], $"类别 '{_classes[i]}' 没有任何指标适用（每个指标的权重都没有给这个类别），其单位会全部得 0 分", RulesetCodes.ClassUncovered);
    }
}
