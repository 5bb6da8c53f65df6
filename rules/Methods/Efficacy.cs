using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Model;
using BaiQianWan.Assess.Rules.Results;

// efficacy, 功效系数法 (spec 2.1).
// One file per method: its parameters (the public record), its YAML keys, defaults and reader, its scorer and its
// explanation. ScoringMethods lists the methods.

namespace BaiQianWan.Assess.Rules.Model
{
    /// <summary><c>efficacy</c> (功效系数法): w × (floor + (1 − floor) × (m − worst)/(best − worst)).</summary>
    public sealed record EfficacyMethod(Metric Metric, decimal Floor) : ScoringMethod
    {
        /// <inheritdoc />
        public override string Name => "efficacy";

        /// <inheritdoc />
        public override Metric Metric { get; } = Metric;
    }
}

namespace BaiQianWan.Assess.Rules.Methods
{
    /// <summary><c>efficacy</c> (功效系数法, spec 2.1): <c>metric</c> (default value), <c>floor</c> (default 0.6).</summary>
    internal sealed class Efficacy : IScoringMethodKind
    {
        public string Name => "efficacy";

        public ImmutableArray<string> Keys { get; } = ["metric", "floor"];

        public ScoringMethod? Read(MethodSite site) =>
            new EfficacyMethod(site.Reader.ReadMetric(site.Map, Metric.Value, site.What), site.Reader.OptionalDecimal(site.Map, "floor", ValueChecks.UnitInterval) ?? 0.6m);

        public IndicatorScorer CreateScorer(Indicator indicator, int decimals) =>
            new EfficacyScorer(indicator, (EfficacyMethod)indicator.Method, decimals);
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

    internal sealed class EfficacyExplanation(ClassIndicator cls, Observation o, decimal value, decimal score) : Explanation
    {
        protected override string Compose()
        {
            var method = (EfficacyMethod)cls.Indicator.Method;
            var facts = cls.Facts(o, value);
            var (worst, best) = (cls.Peers.Worst, cls.Peers.Best);
            var s = Numbers.Fixed(score, cls.Decimals);
            var w = Numbers.Plain(cls.Weight);
            if (worst == best) return $"{facts.Describe()}，同类各单位该值相同，得满分，权重 {w} = {s}";
            var m = MetricFacts.Show(method.Metric, value);
            var lo = Numbers.Operand(MetricFacts.Show(method.Metric, worst));
            var hi = MetricFacts.Show(method.Metric, best);
            var f = Numbers.Plain(method.Floor);
            var rest = Numbers.Plain(1m - method.Floor);
            return $"{facts.Describe()}；功效系数：同类最差 {Figures.Show(method.Metric, worst, facts.UnitOfMeasure)}、最好 {Figures.Show(method.Metric, best, facts.UnitOfMeasure)}，权重 {w} ×（{f} + {rest} ×（{m} − {lo}）/（{hi} − {lo}））= {s}";
        }
    }
}
