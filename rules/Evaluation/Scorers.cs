using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Evaluation;

internal sealed class CompletionScorer(Indicator indicator, CompletionMethod method, int decimals) : IndicatorScorer(indicator, decimals)
{
    public override decimal Max(decimal weight) => method.NoCap ? 0m : weight * method.Cap;

    public override bool Unlimited => method.NoCap;

    public override Scored Score(in UnitFacts unit, ClassIndicator cls, FormulaScope scope)
    {
        var weight = cls.Weight;
        var r = unit.Value;
        var score = Round(r < method.ZeroBelow ? 0m : weight * (method.NoCap ? r : Math.Min(r, method.Cap)));
        return new Scored(score, new CompletionExplanation(cls, unit.Observation, r, score), null);
    }
}

internal sealed class BandsScorer : IndicatorScorer
{
    private readonly BandsMethod _method;
    private readonly Band[] _byBound;
    private readonly decimal _topScore;

    public BandsScorer(Indicator indicator, BandsMethod method, int decimals) : base(indicator, decimals)
    {
        _method = method;
        // min bands: the greatest min ≤ m wins, so search from the greatest; max bands: the smallest max ≥ m.
        _byBound = method.UsesMax
            ? method.Bands.OrderBy(b => b.Bound).ToArray()
            : method.Bands.OrderByDescending(b => b.Bound).ToArray();
        _topScore = method.Bands.Max(b => b.Score);
    }

    public override decimal Max(decimal weight) => weight * _topScore;

    public override Scored Score(in UnitFacts unit, ClassIndicator cls, FormulaScope scope)
    {
        var weight = cls.Weight;
        var m = unit.Value;
        Band? hit = null;
        foreach (var band in _byBound)
        {
            if (_method.UsesMax ? band.Bound >= m : band.Bound <= m)
            {
                hit = band;
                break;
            }
        }
        var score = Round(hit is null ? 0m : weight * hit.Score);
        return new Scored(score, new BandsExplanation(cls, unit.Observation, m, hit, score), null);
    }
}

internal sealed class RankScorer(Indicator indicator, RankMethod method, int decimals) : IndicatorScorer(indicator, decimals)
{
    public override bool NeedsRanks => true;

    public override decimal Max(decimal weight) => weight;

    public override Scored Score(in UnitFacts unit, ClassIndicator cls, FormulaScope scope)
    {
        var weight = cls.Weight;
        var share = Math.Max(method.Floor, 1m - method.Step * (unit.Rank - 1));
        var score = Round(weight * share);
        return new Scored(score, new RankExplanation(cls, unit.Observation, unit.Value, unit.Rank, score), null);
    }
}

internal sealed class EfficacyScorer(Indicator indicator, EfficacyMethod method, int decimals) : IndicatorScorer(indicator, decimals)
{
    public override bool NeedsStats => true;

    public override decimal Max(decimal weight) => weight;

    public override Scored Score(in UnitFacts unit, ClassIndicator cls, FormulaScope scope)
    {
        var weight = cls.Weight;
        var peers = cls.Peers;
        var raw = peers.Best == peers.Worst
            ? weight
            : weight * (method.Floor + (1m - method.Floor) * (unit.Value - peers.Worst) / (peers.Best - peers.Worst));
        var score = Round(raw);
        return new Scored(score, new EfficacyExplanation(cls, unit.Observation, unit.Value, score), null);
    }
}

internal sealed class IncrementScorer(Indicator indicator, IncrementMethod method, int decimals) : IndicatorScorer(indicator, decimals)
{
    public override decimal Max(decimal weight) => weight * method.Cap;

    public override Scored Score(in UnitFacts unit, ClassIndicator cls, FormulaScope scope)
    {
        var weight = cls.Weight;
        if (unit.Observation.Target is not { } target) return Scored.Missed("缺少目标值，无法计算增量得分");
        var m = unit.Value;
        var d = Indicator.Better == Better.Lower ? target - m : m - target;
        var raw = weight * method.Base + method.Per * d;
        var score = Round(Numbers.Clamp(raw, 0m, weight * method.Cap));
        return new Scored(score, new IncrementExplanation(cls, unit.Observation, m, raw, score), null);
    }
}

internal sealed class FormulaScorer : IndicatorScorer
{
    private readonly FormulaMethod _method;
    private readonly CompiledFormula _formula;
    private readonly IReadOnlyList<FormulaVariable> _variables;
    private readonly VariableNeeds _needs;

    /// <summary>A scorer over a formula already compiled (by NRules, from the formula's expression tree).</summary>
    public FormulaScorer(Indicator indicator, FormulaMethod method, int decimals, CompiledFormula formula) : base(indicator, decimals)
    {
        _method = method;
        _formula = formula;
        _variables = Variables.In(_formula.Uses);
        _needs = Variables.NeedsOf(_formula.Uses);
    }

    /// <summary>(v3) The ruleset's inputs.</summary>
    public System.Collections.Immutable.ImmutableArray<InputItem> Inputs { get; init; } = [];

    /// <summary>(v3) Positions of the inputs the formula names.</summary>
    public int[] InputsUsed { get; init; } = [];

    public override bool NeedsRanks => (_needs & VariableNeeds.ClassRanks) != 0;

    public override bool NeedsStats => (_needs & VariableNeeds.ClassStats) != 0;

    public override decimal Max(decimal weight) => weight * _method.Cap;

    public override Scored Score(in UnitFacts unit, ClassIndicator cls, FormulaScope scope)
    {
        var weight = cls.Weight;
        var o = unit.Observation;
        var defined = FormulaVariables.Actual | FormulaVariables.Weight | FormulaVariables.Rank | FormulaVariables.Peers | FormulaVariables.ClassAvg;
        if (cls.Level is { } level)
        {
            if (level.Level is { } levelAvg)
            {
                defined |= FormulaVariables.LevelAvg;
                scope.LevelAvg = levelAvg;
            }
            if (unit.Parent is { } parent && level.ByParent.TryGetValue(parent, out var parentAvg))
            {
                defined |= FormulaVariables.ParentAvg;
                scope.ParentAvg = parentAvg;
            }
        }
        scope.Actual = o.Actual;
        scope.Weight = weight;
        scope.Rank = unit.Rank;
        scope.Peers = cls.Peers.Count;
        scope.ClassAvg = cls.Peers.Average;
        if (o.Target is { } t)
        {
            defined |= FormulaVariables.Target;
            scope.Target = t;
            if (t != 0m)
            {
                defined |= FormulaVariables.Completion;
                scope.Completion = Metrics.Completion(o.Actual, t, Indicator.Better);
            }
        }
        if (o.Baseline is { } b)
        {
            defined |= FormulaVariables.Baseline | FormulaVariables.Change;
            scope.Baseline = b;
            scope.Change = o.Actual - b;
            if (b != 0m)
            {
                defined |= FormulaVariables.Growth;
                scope.Growth = Metrics.Growth(o.Actual, b);
            }
        }
        var undefined = _formula.Uses & ~defined;
        List<string>? missingInputs = null;
        for (var i = 0; i < InputsUsed.Length; i++)
        {
            // (v3) a unit with no row for an input its formula names is missing for the indicator (spec 2.7).
            if (cls.InputRows[i][unit.Member] is { } row) scope.Inputs[InputsUsed[i]] = row.Actual;
            else (missingInputs ??= []).Add($"{Inputs[InputsUsed[i]].Name}（{Inputs[InputsUsed[i]].Id}）");
        }
        if (undefined != 0 || missingInputs is not null)
            return Scored.Missed($"公式用到的 {string.Join("、", undefined.Names().Concat(missingInputs ?? []))} 没有值");
        if (!_formula.TryEvaluate(scope, out var value, out var failure))
            return Scored.Missed($"公式计算失败：{failure}");
        var raw = value;
        var score = Round(Numbers.Clamp(raw, 0m, weight * _method.Cap));
        return new Scored(score, new FormulaExplanation(cls, _formula.Uses, Snapshot(scope), raw, score)
        {
            Inputs = [.. InputsUsed.Select(k => (Inputs[k], scope.Inputs[k]))],
        }, null);
    }

    /// <summary>The values the formula read (in <see cref="Variables.In"/> order), kept as numbers: they are formatted only if the explanation is read.</summary>
    private decimal[] Snapshot(FormulaScope scope)
    {
        var variables = _variables;
        var values = new decimal[variables.Count];
        for (var i = 0; i < values.Length; i++) values[i] = variables[i].Read(scope);
        return values;
    }
}
