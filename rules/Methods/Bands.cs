using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Model;
using BaiQianWan.Assess.Rules.Results;

// bands (spec 2.1).
// One file per method: its parameters (the public record), its YAML keys, defaults and reader, its scorer and its
// explanation. ScoringMethods lists the methods.

namespace BaiQianWan.Assess.Rules.Model
{
    /// <summary><c>bands</c>: fixed shares of the weight per band of the metric.</summary>
    /// <param name="Metric">The metric read.</param>
    /// <param name="UsesMax">True when bands carry <c>max</c> (lower-is-better reading), false for <c>min</c>.</param>
    /// <param name="Bands">The bands in the order written.</param>
    public sealed record BandsMethod(Metric Metric, bool UsesMax, ImmutableArray<Band> Bands) : ScoringMethod
    {
        /// <inheritdoc />
        public override string Name => "bands";

        /// <inheritdoc />
        public override Metric Metric { get; } = Metric;
    }
}

namespace BaiQianWan.Assess.Rules.Methods
{
    /// <summary><c>bands</c> (spec 2.1): <c>metric</c> (default completion) and <c>bands</c>, each with <c>min</c> (or <c>max</c> when lower is better) and <c>score</c>.</summary>
    internal sealed class Bands : IScoringMethodKind
    {
        public string Name => "bands";

        public ImmutableArray<string> Keys { get; } = ["metric", "bands"];

        public ScoringMethod? Read(MethodSite site)
        {
            var (r, map, what, better) = (site.Reader, site.Map, site.What, site.Better);
            var metric = r.ReadMetric(map, Metric.Completion, what);
            var usesMax = metric != Metric.Completion && better == Better.Lower;
            if (r.Required(map, "bands", what) is not { } node || r.AsSequence(node, "bands") is not { } seq) return null;
            if (seq.Items.Count == 0)
            {
                r.Error(seq, "bands 至少要有一档", RulesetCodes.NoBands);
                return null;
            }
            var expected = usesMax ? "max" : "min";
            var wrong = usesMax ? "min" : "max";
            var bands = ImmutableArray.CreateBuilder<Band>();
            var bounds = new HashSet<decimal>();
            var ok = true;
            foreach (var item in seq.Items)
            {
                if (r.AsMapping(item, "分档") is not { } band)
                {
                    ok = false;
                    continue;
                }
                r.CheckKeys(band, ["min", "max", "score"], "分档");
                if (band.KeyNode(wrong) is { } wrongKey)
                {
                    r.Error(wrongKey, metric == Metric.Completion
                        ? $"按完成率分档时只能用 min（完成率总是越高越好），这里用了 {wrong}"
                        : $"better: {(better == Better.Lower ? "lower" : "higher")} 的分档应使用 {expected}，这里用了 {wrong}", RulesetCodes.BandBound);
                    ok = false;
                    continue;
                }
                var bound = r.Required(band, expected, "分档") is { } b ? r.Decimal(b, expected, null) : null;
                var score = r.Required(band, "score", "分档") is { } sc ? r.Decimal(sc, "score", null) : null;
                if (bound is null || score is null)
                {
                    ok = false;
                    continue;
                }
                if (!bounds.Add(bound.Value))
                {
                    r.Error(band[expected]!, $"分档的 {expected} {ValueChecks.Format(bound.Value)} 与另一档相同", RulesetCodes.DuplicateBand);
                    ok = false;
                    continue;
                }
                bands.Add(new Band(bound.Value, score.Value));
            }
            return ok ? new BandsMethod(metric, usesMax, bands.ToImmutable()) : null;
        }

        public IndicatorScorer CreateScorer(Indicator indicator, int decimals) =>
            new BandsScorer(indicator, (BandsMethod)indicator.Method, decimals);
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

    internal sealed class BandsExplanation(ClassIndicator cls, Observation o, decimal value, Band? band, decimal score) : Explanation
    {
        protected override string Compose()
        {
            var method = (BandsMethod)cls.Indicator.Method;
            var facts = cls.Facts(o, value);
            var s = Numbers.Fixed(score, cls.Decimals);
            if (band is null)
                return $"{facts.Describe()}，未达到任何一档 = {s}";
            var op = method.UsesMax ? "≤" : "≥";
            return $"{facts.Describe()}，落在“{op} {Figures.Show(method.Metric, band.Bound, facts.UnitOfMeasure)}”档，得 {Numbers.Plain(band.Score)} × 权重 {Numbers.Plain(cls.Weight)} = {s}";
        }
    }
}
