using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Model;
using BaiQianWan.Assess.Rules.Results;

// rank (spec 2.1).
// One file per method: its parameters (the public record), its YAML keys, defaults and reader, its scorer and its
// explanation. ScoringMethods lists the methods.

namespace BaiQianWan.Assess.Rules.Model
{
    /// <summary><c>rank</c>: w × max(floor, 1 − step × (rank − 1)) by rank among class peers.</summary>
    public sealed record RankMethod(Metric Metric, decimal Step, decimal Floor) : ScoringMethod
    {
        /// <inheritdoc />
        public override string Name => "rank";

        /// <inheritdoc />
        public override Metric Metric { get; } = Metric;
    }
}

namespace BaiQianWan.Assess.Rules.Methods
{
    /// <summary><c>rank</c> (spec 2.1): <c>metric</c> (default value), <c>step</c> (default 0.05), <c>floor</c> (default 0).</summary>
    internal sealed class Rank : IScoringMethodKind
    {
        public string Name => "rank";

        public ImmutableArray<string> Keys { get; } = ["metric", "step", "floor"];

        public ScoringMethod? Read(MethodSite site)
        {
            var (r, map) = (site.Reader, site.Map);
            return new RankMethod(r.ReadMetric(map, Metric.Value, site.What), r.OptionalDecimal(map, "step", ValueChecks.NonNegative) ?? 0.05m,
                r.OptionalDecimal(map, "floor", ValueChecks.UnitInterval) ?? 0m);
        }

        public IndicatorScorer CreateScorer(Indicator indicator, int decimals) =>
            new RankScorer(indicator, (RankMethod)indicator.Method, decimals);
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

    internal sealed class RankExplanation(ClassIndicator cls, Observation o, decimal value, int rank, decimal score) : Explanation
    {
        protected override string Compose()
        {
            var method = (RankMethod)cls.Indicator.Method;
            var head = $"{cls.Facts(o, value).Describe()}，在同类 {cls.Peers.Count} 个单位中排第 {rank} 名";
            var w = Numbers.Plain(cls.Weight);
            var s = Numbers.Fixed(score, cls.Decimals);
            var share = 1m - method.Step * (rank - 1);
            if (rank == 1) return $"{head}：得满分，权重 {w} = {s}";
            if (share < method.Floor)
                return $"{head}：1 − {Numbers.Plain(method.Step)} × {rank - 1} 低于保底 {Numbers.Plain(method.Floor)}，按保底计：权重 {w} × {Numbers.Plain(method.Floor)} = {s}";
            return $"{head}：权重 {w} ×（1 − {Numbers.Plain(method.Step)} × {rank - 1}）= {s}";
        }
    }
}
