using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Model;
using BaiQianWan.Assess.Rules.Results;

// completion (spec 2.1).
// One file per method: its parameters (the public record), its YAML keys, defaults and reader, its scorer and its
// explanation. ScoringMethods lists the methods.

namespace BaiQianWan.Assess.Rules.Model
{
    /// <summary><c>completion</c>: w × min(completion, cap), 0 below <c>zeroBelow</c>.</summary>
    public sealed record CompletionMethod(decimal Cap, decimal ZeroBelow) : ScoringMethod
    {
        /// <summary>(v3) <c>cap: none</c> (得分不封顶): w × r with no upper limit; the indicator's max is null.</summary>
        public bool NoCap { get; init; }

        /// <inheritdoc />
        public override string Name => "completion";

        /// <inheritdoc />
        public override Metric Metric => Metric.Completion;
    }
}

namespace BaiQianWan.Assess.Rules.Methods
{
    /// <summary><c>completion</c> (spec 2.1): <c>cap</c> (default 1; v3 <c>none</c>: 得分不封顶) and <c>zeroBelow</c> (default 0).</summary>
    internal sealed class Completion : IScoringMethodKind
    {
        public string Name => "completion";

        public ImmutableArray<string> Keys { get; } = ["cap", "zeroBelow"];

        public ScoringMethod? Read(MethodSite site)
        {
            var (r, map) = (site.Reader, site.Map);
            // (v3) cap: none (the plain word) is 得分不封顶.
            if (map["cap"] is YamlScalar { IsPlain: true, Value: "none" })
                return new CompletionMethod(1m, r.OptionalDecimal(map, "zeroBelow", ValueChecks.NonNegative) ?? 0m) { NoCap = true };
            var cap = r.Cap(map, ValueChecks.Positive, allowNone: true) ?? 1m;
            var zeroBelow = r.OptionalDecimal(map, "zeroBelow", ValueChecks.NonNegative) ?? 0m;
            return new CompletionMethod(cap, zeroBelow);
        }

        public IndicatorScorer CreateScorer(Indicator indicator, int decimals) =>
            new CompletionScorer(indicator, (CompletionMethod)indicator.Method, decimals);
    }

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

    internal sealed class CompletionExplanation(ClassIndicator cls, Observation o, decimal value, decimal score) : Explanation
    {
        protected override string Compose()
        {
            var method = (CompletionMethod)cls.Indicator.Method;
            var facts = cls.Facts(o, value);
            var w = Numbers.Plain(cls.Weight);
            var s = Numbers.Fixed(score, cls.Decimals);
            if (value < method.ZeroBelow)
                return $"{facts.Describe()}，低于 {Numbers.Percent(method.ZeroBelow)} 不得分 = {s}";
            if (!method.NoCap && value > method.Cap)
                return $"{facts.Describe()}，按封顶 {Numbers.Percent(method.Cap)} 计 × 权重 {w} = {s}";
            return $"{facts.Describe()} × 权重 {w} = {s}";
        }
    }
}
