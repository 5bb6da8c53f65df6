using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Model;
using BaiQianWan.Assess.Rules.Results;

// (v3) steps (spec 2.1.1).
// One file per method: its parameters (the public record), its YAML keys, defaults and reader, its scorer and its
// explanation. ScoringMethods lists the methods.

namespace BaiQianWan.Assess.Rules.Model
{
    /// <summary>One side of a <c>steps</c> method: <paramref name="Points"/> per whole <paramref name="Every"/>, at most <paramref name="Max"/>.</summary>
    /// <param name="Every">The step, in the metric's unit (&gt; 0).</param>
    /// <param name="Points">Points per whole step (≥ 0), the same for every class.</param>
    /// <param name="Max">Most points this side adds or takes, or null for no limit.</param>
    public sealed record StepRule(decimal Every, decimal Points, decimal? Max);

    /// <summary>
    /// <c>steps</c> (v3, spec 2.1.1): w × base at the reference point, whole steps up and down with their own points and
    /// limits, zero below (above) a threshold, never below 0.
    /// </summary>
    /// <param name="Metric">The metric read.</param>
    /// <param name="Base">The score at the reference point as a multiple of the weight.</param>
    /// <param name="From">The reference point in the metric's unit; null: 1 for completion, the target otherwise.</param>
    /// <param name="Up">Steps past the reference point in the better direction, if scored.</param>
    /// <param name="Down">Steps short of the reference point, if scored.</param>
    /// <param name="ZeroBelow">Below this (direction higher) the score is 0.</param>
    /// <param name="ZeroAbove">Above this (direction lower) the score is 0.</param>
    public sealed record StepsMethod(Metric Metric, decimal Base, decimal? From, StepRule? Up, StepRule? Down, decimal? ZeroBelow, decimal? ZeroAbove)
        : ScoringMethod
    {
        /// <inheritdoc />
        public override string Name => "steps";

        /// <inheritdoc />
        public override Metric Metric { get; } = Metric;

        /// <summary>The most points for a weight: w × base + up.max; null (no limit) when <c>up</c> has no max.</summary>
        public decimal? MaxFor(decimal weight) => Up is null ? weight * Base : Up.Max is { } m ? weight * Base + m : null;
    }
}

namespace BaiQianWan.Assess.Rules.Methods
{
    /// <summary>
    /// (v3) <c>steps</c> (spec 2.1.1): <c>metric</c> (default completion), <c>base</c> (1), <c>from</c>, <c>up</c> and <c>down</c>
    /// (<c>every</c>, <c>points</c>, <c>max</c>), <c>zeroBelow</c> or <c>zeroAbove</c>; each error at the node the spec names, with its code.
    /// </summary>
    internal sealed class Steps : IScoringMethodKind
    {
        private static readonly string[] StepKeys = ["every", "points", "max"];

        public string Name => "steps";

        public ImmutableArray<string> Keys { get; } = ["metric", "base", "from", "up", "down", "zeroBelow", "zeroAbove"];

        public ScoringMethod? Read(MethodSite site)
        {
            var (r, map, what, methodNode) = (site.Reader, site.Map, site.What, site.MethodNode);
            var metric = r.ReadMetric(map, Metric.Completion, what);
            var direction = metric == Metric.Completion ? Better.Higher : site.Better;
            var ok = true;
            var @base = 1m;
            if (map["base"] is { } baseNode)
            {
                if (r.Decimal(baseNode, "base", ValueChecks.NonNegative, RulesetCodes.StepsOutOfRange) is { } b) @base = b;
                else ok = false;
            }
            decimal? from = null;
            if (map["from"] is { } fromNode)
            {
                from = r.Decimal(fromNode, "from", null, RulesetCodes.StepsFrom);
                ok &= from is not null;
            }
            var up = map["up"] is { } upNode ? ReadStepRule(r, upNode, "up", ref ok) : null;
            var down = map["down"] is { } downNode ? ReadStepRule(r, downNode, "down", ref ok) : null;
            if (map["up"] is null && map["down"] is null)
            {
                r.Error(methodNode, $"{what} 的 steps 方法至少要有 up 或 down（每增加/每减少一档的分数）", RulesetCodes.StepsWithoutSide);
                ok = false;
            }
            var zeroBelowKey = map.KeyNode("zeroBelow");
            var zeroAboveKey = map.KeyNode("zeroAbove");
            if (zeroBelowKey is not null && direction == Better.Lower)
            {
                r.Error(zeroBelowKey, $"{what} 越低越好，不能用 zeroBelow（用 zeroAbove：高于多少不得分）", RulesetCodes.StepsThreshold);
                ok = false;
            }
            if (zeroAboveKey is not null && direction == Better.Higher)
            {
                r.Error(zeroAboveKey, $"{what} {(metric == Metric.Completion ? "按完成率计档（越高越好）" : "越高越好")}，不能用 zeroAbove（用 zeroBelow：低于多少不得分）", RulesetCodes.StepsThreshold);
                ok = false;
            }
            if (zeroBelowKey is not null && zeroAboveKey is not null)
            {
                r.Error(zeroAboveKey, $"{what} 不能同时有 zeroBelow 和 zeroAbove", RulesetCodes.StepsThreshold);
                ok = false;
            }
            var zeroBelow = map["zeroBelow"] is { } zb ? r.Decimal(zb, "zeroBelow", null) : null;
            var zeroAbove = map["zeroAbove"] is { } za ? r.Decimal(za, "zeroAbove", null) : null;
            ok &= (map["zeroBelow"] is null || zeroBelow is not null) && (map["zeroAbove"] is null || zeroAbove is not null);
            return ok ? new StepsMethod(metric, @base, from, up, down, zeroBelow, zeroAbove) : null;
        }

        private static StepRule? ReadStepRule(IMethodReader r, YamlNode node, string side, ref bool ok)
        {
            if (r.AsMapping(node, side) is not { } map)
            {
                ok = false;
                return null;
            }
            r.CheckKeys(map, StepKeys, side, code: RulesetCodes.StepsUnknownKey);
            var every = r.Required(map, "every", side) is { } e ? r.Decimal(e, $"{side}.every", ValueChecks.Positive, RulesetCodes.StepsOutOfRange) : null;
            var points = r.Required(map, "points", side) is { } p ? r.Decimal(p, $"{side}.points", ValueChecks.NonNegative, RulesetCodes.StepsOutOfRange) : null;
            decimal? max = null;
            var maxOk = true;
            if (map["max"] is { } maxNode)
            {
                if (maxNode is YamlScalar { IsNull: true })
                {
                    r.Error(maxNode, $"{side}.max 不能为空：不设上限请去掉 max（得分不封顶）", RulesetCodes.NullMax);
                    maxOk = false;
                }
                else
                {
                    max = r.Decimal(maxNode, $"{side}.max", ValueChecks.NonNegative, RulesetCodes.StepsOutOfRange);
                    maxOk = max is not null;
                }
            }
            if (every is null || points is null || !maxOk || map.Entries.Any(entry => !StepKeys.Contains(entry.Key.Value)))
            {
                ok = false;
                return null;
            }
            return new StepRule(every.Value, points.Value, max);
        }

        public IndicatorScorer CreateScorer(Indicator indicator, int decimals) =>
            new StepsScorer(indicator, (StepsMethod)indicator.Method, decimals);
    }

    /// <summary>
    /// <c>steps</c> (v3, spec 2.1.1). The metric is taken as an exact fraction p / q (q &gt; 0) of the observation's
    /// figures, so thresholds and whole step counts are decided on the exact rational value, never on a quotient
    /// rounded to 28 digits: completion 0.7 = 70 / 100 is exactly one step of 0.3 below 1.
    /// </summary>
    internal sealed class StepsScorer(Indicator indicator, StepsMethod method, int decimals) : IndicatorScorer(indicator, decimals)
    {
        private readonly bool _higher = indicator.ReadDirection == Better.Higher;

        public override decimal Max(decimal weight) => method.MaxFor(weight) ?? 0m;

        public override bool Unlimited => method.Up is { Max: null };

        public override Scored Score(in UnitFacts unit, ClassIndicator cls, FormulaScope scope)
        {
            var o = unit.Observation;
            if (!TryReference(o, out var reference)) return Scored.Missed("缺少目标值，无法确定计档的参照点");

            var (p, q) = Fraction(o);
            if (method.ZeroBelow is { } below && p < below * q)
                return Zero(cls, o, unit.Value, below, above: false);
            if (method.ZeroAbove is { } above && p > above * q)
                return Zero(cls, o, unit.Value, above, above: true);

            var figures = Figure(p, q, reference, cls.Weight);
            var max = method.MaxFor(cls.Weight);
            var score = Round(Numbers.Clamp(figures.Raw, 0m, max ?? decimal.MaxValue));
            // The explanation keeps the unit's own figures only and works the steps out again if it is read.
            return new Scored(score, new StepsExplanation(this, cls, o, unit.Value, score), null);
        }

        /// <summary>The reference point: <c>from</c>, else 1 for completion, else the target (false without one).</summary>
        private bool TryReference(Observation o, out decimal reference)
        {
            if (method.From is { } from) reference = from;
            else if (method.Metric == Metric.Completion) reference = 1m;
            else if (o.Target is { } t) reference = t;
            else
            {
                reference = 0m;
                return false;
            }
            return true;
        }

        /// <summary>The steps of a unit past its thresholds: the distance as numerator over q, the side, whole steps, points and raw score.</summary>
        private StepsFigures Figure(decimal p, decimal q, decimal reference, decimal weight)
        {
            var baseScore = weight * method.Base;
            // d = m − ref (direction higher) or ref − m (lower), as the numerator over q.
            var d = _higher ? p - reference * q : reference * q - p;
            StepRule? side = d > 0m ? method.Up : d < 0m ? method.Down : null;
            var k = side is null ? 0m : WholeSteps(Math.Abs(d), side.Every * q);
            var points = 0m;
            var raw = baseScore;
            if (side is not null)
            {
                points = k * side.Points;
                if (side.Max is { } limit) points = Math.Min(points, limit);
                raw = d > 0m ? baseScore + points : baseScore - points;
            }
            return new StepsFigures(reference, d, q, side, k, points, raw);
        }

        /// <summary>The figures behind a scored unit's explanation, worked out again as <see cref="Score"/> did.</summary>
        internal StepsFigures Figures(Observation o, decimal weight)
        {
            TryReference(o, out var reference);
            var (p, q) = Fraction(o);
            return Figure(p, q, reference, weight);
        }

        /// <summary>The greatest whole k ≥ 0 with k × step ≤ distance (both exact; step &gt; 0).</summary>
        internal static decimal WholeSteps(decimal distance, decimal step)
        {
            var k = decimal.Floor(distance / step);
            // The quotient is rounded to 28 digits; the products are exact, so they settle a boundary.
            while (k > 0m && k * step > distance) k--;
            while ((k + 1m) * step <= distance) k++;
            return k;
        }

        /// <summary>The metric as numerator and positive denominator of the observation's own figures.</summary>
        private (decimal P, decimal Q) Fraction(Observation o)
        {
            switch (method.Metric)
            {
                case Metric.Completion:
                    {
                        var t = o.Target!.Value;
                        var a = o.Actual;
                        // lower is better: max(0, 2 − a / t) = (2t − a) / t.
                        var p = Indicator.Better == Better.Lower ? 2m * t - a : a;
                        if (t < 0m) (p, t) = (-p, -t);
                        if (Indicator.Better == Better.Lower && p < 0m) return (0m, 1m);
                        return (p, t);
                    }
                case Metric.Growth:
                    {
                        var b = o.Baseline!.Value;
                        return (100m * (o.Actual - b), Math.Abs(b));
                    }
                case Metric.Change:
                    return (o.Actual - o.Baseline!.Value, 1m);
                default:
                    return (o.Actual, 1m);
            }
        }

        private Scored Zero(ClassIndicator cls, Observation o, decimal value, decimal threshold, bool above) =>
            new(0m, new StepsThresholdExplanation(cls, o, value, threshold, above), null);
    }

    /// <summary>How a <c>steps</c> figure is said: percentages for completion, the indicator's unit otherwise.</summary>
    internal static class StepsText
    {
        public static string Head(ClassIndicator cls, Observation o, decimal value)
        {
            var method = cls.Indicator.Method;
            return method.Metric switch
            {
                Metric.Completion => $"完成率 {Percent(value)}（实际 {Numbers.Plain(o.Actual)} / 目标 {Numbers.Plain(o.Target!.Value)}）",
                Metric.Growth => $"增速 {Numbers.Fixed(value, 2)}%（实际 {Numbers.Plain(o.Actual)} / 上年同期 {Numbers.Plain(o.Baseline!.Value)}）",
                Metric.Change => cls.Facts(o, value).Describe(),
                _ => $"实际 {Numbers.Plain(value)}{Figures.UnitAfter(cls.Indicator.UnitOfMeasure)}",
            };
        }

        /// <summary>A figure in the metric's unit: 30.0% for completion, 2.00% for growth, "12 家" for a value.</summary>
        public static string Figure(ClassIndicator cls, decimal value) => cls.Indicator.Method.Metric switch
        {
            Metric.Completion => Percent(value),
            Metric.Growth => Numbers.Fixed(value, 2) + "%",
            _ => Numbers.Brief(value) + Figures.UnitAfter(cls.Indicator.UnitOfMeasure),
        };

        /// <summary>A step or distance: 5.0% for completion, 2 个百分点 for growth, the plain number otherwise.</summary>
        public static string Step(ClassIndicator cls, decimal value) => cls.Indicator.Method.Metric switch
        {
            Metric.Completion => Percent(value),
            Metric.Growth => Numbers.Brief(value) + " 个百分点",
            _ => Numbers.Brief(value),
        };

        /// <summary>0.3 → 30.0% (one place, as the spec's templates write a completion).</summary>
        public static string Percent(decimal ratio) => Numbers.Fixed(ratio * 100m, 1) + "%";
    }

    /// <summary>A unit's steps: the reference point, the distance from it (d / q), the side, whole steps, points and the raw score.</summary>
    internal readonly record struct StepsFigures(decimal Reference, decimal D, decimal Q, StepRule? Side, decimal Steps, decimal Points, decimal Raw)
    {
        public decimal Distance => D / Q;
    }

    internal sealed class StepsExplanation(StepsScorer scorer, ClassIndicator cls, Observation o, decimal value, decimal score) : Results.Explanation
    {
        protected override string Compose()
        {
            var figures = scorer.Figures(o, cls.Weight);
            var (reference, distance, side, steps, points, raw) = (figures.Reference, figures.Distance, figures.Side, figures.Steps, figures.Points, figures.Raw);
            var method = (StepsMethod)cls.Indicator.Method;
            var head = StepsText.Head(cls, o, value);
            var w = Numbers.Plain(cls.Weight);
            var b = Numbers.Plain(method.Base);
            var s = Numbers.Fixed(score, cls.Decimals);
            if (distance == 0m || side is null)
            {
                var where = distance == 0m ? $"与{Reference(reference)}持平" : $"{Compare(reference, distance)}，不计档";
                return $"{head}，{where}：权重 {w} × {b} = {s}";
            }
            var up = distance > 0m;
            var per = $"每 {StepsText.Step(cls, side.Every)} 一档计 {Numbers.Plain(steps)} 档";
            var verb = up ? "加" : "扣";
            var amount = $"{verb} {Numbers.Plain(points)} 分";
            var limit = side.Max is { } m ? $"（最多{verb} {Numbers.Plain(m)} 分）" : "";
            if (!up && raw < 0m) return $"{head}，{Compare(reference, distance)}，{per}，{amount}{limit}，扣完为止 = {s}";
            var sign = up ? "+" : "−";
            return $"{head}，{Compare(reference, distance)}，{per}，{amount}{limit}：权重 {w} × {b} {sign} {Numbers.Plain(points)} = {s}";
        }

        /// <summary>比目标高 10.0% / 比 0 多 12.</summary>
        private string Compare(decimal reference, decimal distance)
        {
            var method = (StepsMethod)cls.Indicator.Method;
            var better = distance > 0m;
            var magnitude = StepsText.Step(cls, Math.Abs(distance));
            // Which side of the reference point the figure is on: a better distance is above it when higher is better.
            var aboveReference = (cls.Indicator.ReadDirection == Better.Higher) == better;
            var word = method.Metric is Metric.Completion or Metric.Growth
                ? (aboveReference ? "高" : "低")
                : (aboveReference ? "多" : "少");
            return $"比{Reference(reference)}{word} {magnitude}";
        }

        private string Reference(decimal reference)
        {
            var method = (StepsMethod)cls.Indicator.Method;
            if (method.From is null) return "目标";
            if (method.Metric == Metric.Completion && reference == 1m) return "目标";
            return " " + (method.Metric == Metric.Completion ? StepsText.Percent(reference) : Numbers.Brief(reference)) + " ";
        }
    }

    internal sealed class StepsThresholdExplanation(ClassIndicator cls, Observation o, decimal value, decimal threshold, bool above)
        : Results.Explanation
    {
        protected override string Compose()
        {
            var figure = StepsText.Figure(cls, threshold);
            // "低于 30.0% 不得分", but "高于 8 人不得分": no space after a Chinese unit.
            var gap = char.IsAsciiLetterOrDigit(figure[^1]) || figure[^1] == '%' ? " " : "";
            return $"{StepsText.Head(cls, o, value)}，{(above ? "高于" : "低于")} {figure}{gap}不得分 = 0";
        }
    }
}
