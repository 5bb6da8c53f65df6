using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Model;
using BaiQianWan.Assess.Rules.Results;

// increment (spec 2.1).
// One file per method: its parameters (the public record), its YAML keys, defaults and reader, its scorer and its
// explanation. ScoringMethods lists the methods.

namespace BaiQianWan.Assess.Rules.Model
{
    /// <summary><c>increment</c>: clamp(w × base + per × (m − t), 0, w × cap).</summary>
    public sealed record IncrementMethod(Metric Metric, decimal Base, decimal Per, decimal Cap) : ScoringMethod
    {
        /// <inheritdoc />
        public override string Name => "increment";

        /// <inheritdoc />
        public override Metric Metric { get; } = Metric;
    }
}

namespace BaiQianWan.Assess.Rules.Methods
{
    /// <summary><c>increment</c> (spec 2.1): <c>metric</c> (growth, value or change; default growth), <c>base</c> (0.8), <c>per</c> (0), <c>cap</c> (1.2).</summary>
    internal sealed class Increment : IScoringMethodKind
    {
        public string Name => "increment";

        public ImmutableArray<string> Keys { get; } = ["metric", "base", "per", "cap"];

        public ScoringMethod? Read(MethodSite site)
        {
            var (r, map) = (site.Reader, site.Map);
            return new IncrementMethod(
                r.ReadMetric(map, Metric.Growth, site.What, allowCompletion: false),
                r.OptionalDecimal(map, "base", ValueChecks.NonNegative) ?? 0.8m,
                r.OptionalDecimal(map, "per", null) ?? 0m,
                r.Cap(map, ValueChecks.Positive) ?? 1.2m);
        }

        public IndicatorScorer CreateScorer(Indicator indicator, int decimals) =>
            new IncrementScorer(indicator, (IncrementMethod)indicator.Method, decimals);
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

    internal sealed class IncrementExplanation(ClassIndicator cls, Observation o, decimal value, decimal raw, decimal score) : Explanation
    {
        protected override string Compose()
        {
            var method = (IncrementMethod)cls.Indicator.Method;
            var facts = cls.Facts(o, value);
            var target = o.Target!.Value;
            var weight = cls.Weight;
            var d = facts.Better == Better.Lower ? target - value : value - target;
            // One unit per figure: the target and the difference carry the figure's unit as the actual value does
            // (99.5%, 目标 98%, 优于目标 1.5%; 增速 in 个百分点).
            var tShown = Figures.Show(method.Metric, target, facts.UnitOfMeasure);
            // Growth is shown with two places everywhere, so its difference is too; values are exact inputs.
            var shown = method.Metric == Metric.Growth ? Numbers.Fixed(d, 2) : Numbers.Brief(d);
            var magnitude = method.Metric == Metric.Growth ? Numbers.Fixed(Math.Abs(d), 2) : Numbers.Brief(Math.Abs(d));
            var withUnit = method.Metric == Metric.Growth ? magnitude + " 个百分点" : magnitude + Figures.UnitAfter(facts.UnitOfMeasure);
            var diff = d >= 0 ? $"优于目标 {withUnit}" : $"差于目标 {withUnit}";
            var w = Numbers.Plain(weight);
            var formula = $"权重 {w} × {Numbers.Plain(method.Base)} + {Numbers.Plain(method.Per)} × {Numbers.Operand(shown)}";
            var s = Numbers.Fixed(score, cls.Decimals);
            var cap = weight * method.Cap;
            var bound = raw > cap ? $"，封顶 {Numbers.Plain(cap)}" : raw < 0 ? "，最低 0" : "";
            return $"{facts.Describe()}，目标 {tShown}，{diff}：{formula}{bound} = {s}";
        }
    }
}
