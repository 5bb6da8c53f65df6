using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Model;
using BaiQianWan.Assess.Rules.Results;

// formula (spec 2.1, 2.3).
// One file per method: its parameters (the public record), its YAML keys, defaults and reader, its scorer and its
// explanation. ScoringMethods lists the methods.

namespace BaiQianWan.Assess.Rules.Model
{
    /// <summary><c>formula</c>: clamp(formula, 0, w × cap).</summary>
    /// <param name="Metric">The metric used for class peers, <c>rank</c> and <c>classAvg</c>.</param>
    /// <param name="Formula">The formula text as written.</param>
    /// <param name="Cap">Cap as a multiple of the weight.</param>
    /// <param name="FormulaPosition">Where the formula text starts in the YAML.</param>
    public sealed record FormulaMethod(Metric Metric, string Formula, decimal Cap, SourcePosition FormulaPosition) : ScoringMethod
    {
        /// <inheritdoc />
        public override string Name => "formula";

        /// <inheritdoc />
        public override Metric Metric { get; } = Metric;
    }
}

namespace BaiQianWan.Assess.Rules.Methods
{
    /// <summary>
    /// <c>formula</c> (spec 2.3): <c>formula</c> (checked up to binding, with the ruleset's inputs), <c>metric</c> (default
    /// value), <c>cap</c> (default 1). Its scorer wraps the formula as NRules compiled it from its expression tree
    /// (the engine's <c>IndicatorRule</c> builds it), so it has no scorer of its own here.
    /// </summary>
    internal sealed class Formula : IScoringMethodKind
    {
        public string Name => "formula";

        public ImmutableArray<string> Keys { get; } = ["formula", "metric", "cap"];

        public ScoringMethod? Read(MethodSite site)
        {
            var (r, map) = (site.Reader, site.Map);
            var metric = r.ReadMetric(map, Metric.Value, site.What);
            var cap = r.Cap(map, ValueChecks.Positive) ?? 1m;
            if (r.Required(map, "formula", site.What) is not { } node) return null;
            var text = r.CheckFormula(node, FormulaContext.Indicator);
            return text is null ? null : new FormulaMethod(metric, text, cap, node.Position);
        }

        public IndicatorScorer CreateScorer(Indicator indicator, int decimals) =>
            throw new InvalidOperationException("A formula's scorer wraps the formula NRules compiled: see IndicatorRule and FormulaScorer.");
    }

    internal sealed class FormulaScorer : IndicatorScorer
    {
        private readonly FormulaMethod _method;
        private readonly Metric _metric;
        private readonly CompiledFormula _formula;
        private readonly IReadOnlyList<FormulaVariable> _variables;
        private readonly VariableNeeds _needs;

        /// <summary>A scorer over a formula already compiled (by NRules, from the formula's expression tree).</summary>
        public FormulaScorer(Indicator indicator, FormulaMethod method, int decimals, CompiledFormula formula) : base(indicator, decimals)
        {
            _method = method;
            _metric = method.Metric;
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
            var uses = _formula.Uses;
            if (o.Target is { } t)
            {
                defined |= FormulaVariables.Target;
                scope.Target = t;
                if (t != 0m)
                {
                    defined |= FormulaVariables.Completion;
                    // Only what the formula reads is computed (it reads nothing else; the scope is reused), and the
                    // metric the metric rule computed is not computed again: the same function of the same figures.
                    if ((uses & FormulaVariables.Completion) != 0)
                        scope.Completion = _metric == Metric.Completion ? unit.Value : Metrics.Completion(o.Actual, t, Indicator.Better);
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
                    if ((uses & FormulaVariables.Growth) != 0)
                        scope.Growth = _metric == Metric.Growth ? unit.Value : Metrics.Growth(o.Actual, b);
                }
            }
            var undefined = uses & ~defined;
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
                Inputs = InputsUsed.Length == 0 ? [] : [.. InputsUsed.Select(k => (Inputs[k], scope.Inputs[k]))],
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

    internal sealed class FormulaExplanation(ClassIndicator cls, FormulaVariables uses, decimal[] values, decimal raw, decimal score) : Explanation
    {
        /// <summary>(v3) The inputs the formula read, with the unit's values: 户籍人口 50 万人.</summary>
        public (InputItem Input, decimal Value)[] Inputs { get; init; } = [];

        protected override string Compose()
        {
            var method = (FormulaMethod)cls.Indicator.Method;
            var read = Variables.In(uses);
            var variables = string.Join("、", read.Select((v, i) => $"{v.Name} = {Numbers.Brief(values[i])}"));
            var cap = cls.Weight * method.Cap;
            var bound = raw > cap ? $"，按上限 {Numbers.Plain(cap)} 计" : raw < 0 ? "，按 0 计" : "";
            var vars = variables.Length == 0 ? "" : $"，其中 {variables}";
            var text = $"公式 {method.Formula.Trim()}{vars}：结果 {Numbers.Brief(raw)}{bound} = {Numbers.Fixed(score, cls.Decimals)}";
            // (v3) the broader averages the formula read, in the metric's terms: 所在市平均 6123.33，全省平均 7.12%.
            var averages = new List<string>();
            for (var i = 0; i < read.Count; i++)
            {
                if (read[i].Note == VariableNote.ParentAverage) averages.Add($"{cls.ParentWord}平均 {Average(cls, values[i])}");
                else if (read[i].Note == VariableNote.LevelAverage) averages.Add($"全省平均 {Average(cls, values[i])}");
            }
            foreach (var (input, value) in Inputs) averages.Add($"{input.Name} {Numbers.Plain(value)}{Figures.UnitAfter(input.UnitOfMeasure)}");
            return averages.Count == 0 ? text : $"{text}；{string.Join("，", averages)}";
        }

        private static string Average(ClassIndicator cls, decimal value) => cls.Indicator.Method.Metric switch
        {
            Metric.Completion => Numbers.Percent(value),
            Metric.Growth => Numbers.Fixed(value, 2) + "%",
            _ => Numbers.Fixed(value, 2) + Figures.UnitAfter(cls.Indicator.UnitOfMeasure),
        };
    }
}
