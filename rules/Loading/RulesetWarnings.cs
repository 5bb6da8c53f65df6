using System.Collections.Immutable;
using System.Globalization;
using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>
/// Warnings about a valid ruleset: things that are allowed but probably not meant. A warning never stops a ruleset from
/// being stored or used (<c>validate</c> still exits 0). <c>RS9xxx</c> codes (RS4xxx are the monitors'), never reused.
/// <para>
/// Weights (docs/rules.md, "Weights and the total"): a class's full marks are, per dimension, the sum of the weights of the
/// indicators it carries, limited to the dimension's <c>cap</c> when it has one, times its <c>factor</c> (1 without), added
/// over the dimensions. Bonuses, penalties and what a method can earn beyond its weight (a completion <c>cap</c> of 1.2,
/// <c>steps</c>) are not counted: the weights are the points of a unit that meets every target.
/// </para>
/// </summary>
public static class RulesetWarnings
{
    /// <summary>Without <c>totalCap</c>: a class whose full marks are not 100, the 百分制 total the ruleset implies (at the class in <c>classes</c>).</summary>
    public const string WeightsNot100 = "RS9001";

    /// <summary>With <c>totalCap</c>: a class whose full marks pass the total the ruleset states (at the class in <c>classes</c>).</summary>
    public const string WeightsOverTotalCap = "RS9002";

    /// <summary>The total a ruleset without <c>totalCap</c> implies.</summary>
    public const decimal ImpliedTotal = 100m;

    /// <summary>A class's full marks (see the class summary) and how they are made, dimension by dimension.</summary>
    public static (decimal Full, string Parts) FullMarks(Ruleset ruleset, string className)
    {
        ArgumentNullException.ThrowIfNull(ruleset);
        var full = 0m;
        var parts = new List<string>();
        foreach (var dimension in ruleset.Dimensions)
        {
            var sum = 0m;
            var any = false;
            foreach (var indicator in dimension.Indicators)
                if (indicator.Weight.TryGetFor(className, out var w))
                {
                    sum += w;
                    any = true;
                }
            if (!any) continue;
            var counted = dimension.Cap is { } cap ? Math.Min(sum, cap) : sum;
            var value = counted * (dimension.Factor ?? 1m);
            full += value;
            var text = N(sum);
            if (dimension.Cap is { } c && sum > c) text = $"{text} 封顶 {N(c)}";
            if (dimension.Factor is { } f) text = $"{text} × {N(f)}";
            parts.Add($"{dimension.Name} {text}");
        }
        return (full, string.Join(" + ", parts));
    }

    /// <summary>The warnings of a valid ruleset; <paramref name="classPositions"/> are where each class is written (same order as its classes).</summary>
    public static ImmutableArray<RulesetDiagnostic> Of(Ruleset ruleset, IReadOnlyList<SourcePosition> classPositions)
    {
        ArgumentNullException.ThrowIfNull(ruleset);
        ArgumentNullException.ThrowIfNull(classPositions);
        var warnings = ImmutableArray.CreateBuilder<RulesetDiagnostic>();
        for (var i = 0; i < ruleset.Classes.Length; i++)
        {
            var name = ruleset.Classes[i];
            var at = i < classPositions.Count ? classPositions[i] : new SourcePosition(1, 1);
            decimal full;
            string parts;
            try
            {
                (full, parts) = FullMarks(ruleset, name);
            }
            catch (OverflowException)
            {
                // Weights near decimal's bounds (allowed by the loader) cannot be added up: no warning rather than a crash.
                continue;
            }
            if (ruleset.TotalCap is { } totalCap)
            {
                if (full > totalCap)
                    warnings.Add(Warning(at, $"类别 '{name}' 的指标权重合计 {N(full)}（{parts}），超过 totalCap {N(totalCap)}：全部达标的单位也会被总分封顶截去 {N(full - totalCap)} 分", WeightsOverTotalCap));
            }
            else if (full != ImpliedTotal)
                warnings.Add(Warning(at, $"类别 '{name}' 的指标权重合计 {N(full)}（{parts}），不是 {N(ImpliedTotal)} 分：全部达标的单位得 {N(full)} 分（总分不是百分制时可忽略；用 totalCap 写明总分）", WeightsNot100));
        }
        return warnings.ToImmutable();
    }

    private static RulesetDiagnostic Warning(SourcePosition at, string message, string code) =>
        new(at, message, code) { Severity = "warning" };

    private static string N(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);
}
