using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Model;
using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Rules.Evaluation;

/// <summary>
/// A ruleset compiled once for evaluation: a scorer per indicator, formulas compiled to delegates, and
/// lookups by id and class. Immutable and safe to share between evaluations.
/// </summary>
public sealed class CompiledRuleset
{
    private CompiledRuleset(Ruleset ruleset, string sha256)
    {
        Ruleset = ruleset;
        Sha256 = sha256;
        var indicators = new List<IndicatorScorer>();
        var dimensionOf = new List<int>();
        for (var d = 0; d < ruleset.Dimensions.Length; d++)
        {
            foreach (var indicator in ruleset.Dimensions[d].Indicators)
            {
                indicators.Add(IndicatorScorer.Create(indicator, ruleset.Decimals));
                dimensionOf.Add(d);
            }
        }
        Scorers = [.. indicators];
        DimensionOf = [.. dimensionOf];
        AdjustmentFormulas = ruleset.Adjustments
            .Select(a => a.Formula ?? a.When)
            .Select(text => text is null ? null : FormulaCompiler.Compile(text, FormulaContext.Adjustment).Formula
                ?? throw new InvalidOperationException($"无效的加减分项公式：{text}"))
            .ToImmutableArray();
        var items = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in Scorers) items.Add(s.Indicator.Id, items.Count);
        foreach (var a in ruleset.Adjustments) items.Add(a.Id, items.Count);
        ItemIndex = items;
        ClassIndex = ruleset.Classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        Info = Describe(ruleset, sha256);
        var last = ruleset.Grades.Levels.Length - 1;
        Rules = new Engine.ScoringRules(ruleset);
        VetoGradeCaps = ruleset.Adjustments
            .Where(a => a.Kind == AdjustmentKind.Veto)
            .ToDictionary(a => a.Id, a => a.Grade is null ? last : ruleset.Grades.IndexOf(a.Grade), StringComparer.Ordinal);
    }

    /// <summary>The ruleset model.</summary>
    public Ruleset Ruleset { get; }

    /// <summary>SHA-256 of the ruleset text.</summary>
    public string Sha256 { get; }

    internal IndicatorScorer[] Scorers { get; }

    internal int[] DimensionOf { get; }

    internal ImmutableArray<CompiledFormula?> AdjustmentFormulas { get; }

    /// <summary>Indicators first, then adjustments: the column of each id in the observation grid.</summary>
    internal IReadOnlyDictionary<string, int> ItemIndex { get; }

    internal IReadOnlyDictionary<string, int> ClassIndex { get; }

    internal RulesetInfo Info { get; }

    /// <summary>The ruleset as NRules rules and their compiled session factory.</summary>
    internal Engine.ScoringRules Rules { get; }

    /// <summary>For each veto id, the index of the best grade a vetoed unit can keep.</summary>
    internal IReadOnlyDictionary<string, int> VetoGradeCaps { get; }

    /// <summary>Compiles a validated ruleset. Throws only if the model is invalid, which loading prevents.</summary>
    public static CompiledRuleset Compile(Ruleset ruleset, string sha256)
    {
        ArgumentNullException.ThrowIfNull(ruleset);
        ArgumentNullException.ThrowIfNull(sha256);
        return new CompiledRuleset(ruleset, sha256);
    }

    private static RulesetInfo Describe(Ruleset r, string sha256) => new(
        r.Id,
        null,
        sha256,
        r.Name,
        r.Level,
        r.Decimals,
        r.Classes,
        r.Grades.Levels.Select(l => l.Name).ToImmutableArray(),
        r.Dimensions.Select(d => new DimensionInfo(d.Id, d.Name, d.Indicators.Select(i => new IndicatorInfo(
            i.Id, i.Name, i.UnitOfMeasure, i.Method.Name, MetricName(i.Method.Metric),
            i.Better == Better.Lower ? "lower" : "higher", i.Core)).ToImmutableArray())).ToImmutableArray(),
        r.Adjustments.Select(a => new AdjustmentInfo(a.Id, a.Name, a.Kind.ToString().ToLowerInvariant(),
            a.Kind == AdjustmentKind.Veto ? a.Grade ?? r.Grades.Levels[^1].Name : null)).ToImmutableArray());

    internal static string MetricName(Metric metric) => metric switch
    {
        Metric.Completion => "completion",
        Metric.Growth => "growth",
        _ => "value",
    };
}
