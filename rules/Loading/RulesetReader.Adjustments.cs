using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Model;
using static BaiQianWan.Assess.Rules.Loading.ValueChecks;
using BaiQianWan.Assess.Rules.Formulas;

namespace BaiQianWan.Assess.Rules.Loading;

/// <summary><c>adjustments</c> (spec 2.2): bonuses and penalties (<c>per</c> or <c>formula</c>, <c>max</c>); vetoes in RulesetReader.Vetoes.</summary>
internal sealed partial class RulesetReader
{
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

        if (kind == AdjustmentKind.Veto) return ReadVeto(map, id, name, what, grades);

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
}
