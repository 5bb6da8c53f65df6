using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Engine;

// What the rules of one YAML element know at compile time. Rule actions receive these as constants, so a
// session reads no YAML, only facts.

/// <summary>The compile-time part of an indicator's rules (<c>indicator:&lt;id&gt;</c>, <c>…:metric</c>, <c>…:peers</c>).</summary>
internal sealed class IndicatorRule
{
    public IndicatorRule(Ruleset ruleset, Indicator indicator, int item, int dimension)
    {
        Inputs = ruleset.Inputs;
        Indicator = indicator;
        Item = item;
        Dimension = dimension;
        Decimals = ruleset.Decimals;
        Weights = [.. ruleset.Classes.Select(c => indicator.Weight.TryGetFor(c, out var w) ? w : (decimal?)null)];
        ClassesCarrying = Weights.Count(w => w is not null);
        ParentWord = ruleset.Level switch
        {
            UnitLevel.County => "所在市",
            UnitLevel.Town => "所在县",
            UnitLevel.Village => "所在乡镇",
            _ => "所在上级",
        };
        if (indicator.Method is FormulaMethod formula)
        {
            Formula = formula;
            var inputIds = ruleset.Inputs.Select(i => i.Id).ToArray();
            (FormulaTree, Uses, InputsUsed) = FormulaCompiler.CompileExpression(formula.Formula, FormulaContext.Indicator, inputIds);
            var firstInputItem = ruleset.Indicators.Count() + ruleset.Adjustments.Length;
            InputItems = [.. InputsUsed.Select(k => firstInputItem + k)];
            var needs = Variables.NeedsOf(Uses);
            NeedsRanks = (needs & VariableNeeds.ClassRanks) != 0;
            NeedsStats = (needs & VariableNeeds.ClassStats) != 0;
            NeedsLevel = (needs & VariableNeeds.LevelFigures) != 0;
        }
        else
        {
            Scorer = IndicatorScorer.Create(indicator, ruleset.Decimals);
            NeedsRanks = Scorer.NeedsRanks;
            NeedsStats = Scorer.NeedsStats;
        }
    }

    public Indicator Indicator { get; }

    public string Name => "indicator:" + Indicator.Id;

    /// <summary>The indicator's column among the ruleset's items (indicators first, then adjustments).</summary>
    public int Item { get; }

    public int Dimension { get; }

    public int Decimals { get; }

    /// <summary>The weight per class (by class position), null where the indicator does not apply.</summary>
    public decimal?[] Weights { get; }

    /// <summary>The method's scorer, for every method but <c>formula</c> (whose scorer wraps the NRules-compiled tree).</summary>
    public IndicatorScorer? Scorer { get; }

    public FormulaMethod? Formula { get; }

    public System.Linq.Expressions.Expression<Func<FormulaScope, decimal>>? FormulaTree { get; }

    public FormulaVariables Uses { get; }

    /// <summary>(v3) Positions (among the ruleset's inputs) of the inputs the formula names.</summary>
    public int[] InputsUsed { get; } = [];

    /// <summary>(v3) The item (observation column) of each input in <see cref="InputsUsed"/>.</summary>
    public int[] InputItems { get; } = [];

    /// <summary>(v3) The ruleset's inputs.</summary>
    public System.Collections.Immutable.ImmutableArray<InputItem> Inputs { get; init; } = [];

    public bool NeedsRanks { get; }

    public bool NeedsStats { get; }

    /// <summary>(v3) True when the formula reads <c>parentAvg</c> or <c>levelAvg</c>: the <c>…:level</c> rule is needed.</summary>
    public bool NeedsLevel { get; }

    /// <summary>(v3) How many classes carry the indicator (the <c>…:level</c> rule waits for that many metric columns).</summary>
    public int ClassesCarrying { get; }

    /// <summary>(v3) 所在市 / 所在县 …, for explanations of <c>parentAvg</c>.</summary>
    public string ParentWord { get; }

    /// <summary>True when the class figures rule (<c>…:peers</c>) is needed: the method reads ranks, best/worst or the average.</summary>
    public bool NeedsPeers => NeedsRanks || NeedsStats;

    public bool AppliesTo(int @class) => Weights[@class] is not null;
}

/// <summary>The compile-time part of an adjustment's rule (<c>bonus:</c>, <c>penalty:</c> or <c>veto:&lt;id&gt;</c>).</summary>
internal sealed class AdjustmentRule
{
    public AdjustmentRule(Ruleset ruleset, Adjustment adjustment, int index, int item)
    {
        Adjustment = adjustment;
        Index = index;
        Item = item;
        Decimals = ruleset.Decimals;
        if ((adjustment.Formula ?? adjustment.When) is { } text)
        {
            FormulaText = text;
            (FormulaTree, Uses) = FormulaCompiler.CompileExpression(text, FormulaContext.Adjustment);
        }
        GradeCap = adjustment.Grade is null ? ruleset.Grades.Levels.Length - 1 : ruleset.Grades.IndexOf(adjustment.Grade);
    }

    public Adjustment Adjustment { get; }

    public string Name => Adjustment.Kind.ToString().ToLowerInvariant() + ":" + Adjustment.Id;

    /// <summary>Position among the ruleset's adjustments.</summary>
    public int Index { get; }

    public int Item { get; }

    public int Decimals { get; }

    /// <summary>The <c>formula</c> (bonus, penalty) or <c>when</c> (veto) text, if any.</summary>
    public string? FormulaText { get; }

    public System.Linq.Expressions.Expression<Func<FormulaScope, decimal>>? FormulaTree { get; }

    public FormulaVariables Uses { get; }

    /// <summary>For a veto, the index of the best grade a vetoed unit can keep.</summary>
    public int GradeCap { get; }
}
