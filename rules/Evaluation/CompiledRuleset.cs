using System.Collections.Concurrent;
using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Engine;
using BaiQianWan.Assess.Rules.Model;
using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Rules.Evaluation;

/// <summary>
/// A ruleset compiled once for evaluation: its elements as NRules rules (built at run time from the YAML's model and
/// compiled by NRules' <c>RuleCompiler</c> into a session factory), and lookups by id and class. Immutable and safe
/// to share between evaluations; compiled once per ruleset content in a process.
/// </summary>
public sealed class CompiledRuleset
{
    /// <summary>Compiled rulesets by the SHA-256 of their text. A process-wide cache on purpose: the contract is
    /// that a stored version compiles once per process, and every host (CLI, store, functions) goes through
    /// <see cref="Compile"/>. Bounded, as rule authors' drafts are previewed one after another.</summary>
    private static readonly ConcurrentDictionary<string, CompiledRuleset> Cache = new(StringComparer.Ordinal);

    private const int CacheLimit = 32;

    private CompiledRuleset(Ruleset ruleset, string sha256)
    {
        Ruleset = ruleset;
        Sha256 = sha256;
        var items = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var i in ruleset.Indicators) items.Add(i.Id, items.Count);
        foreach (var a in ruleset.Adjustments) items.Add(a.Id, items.Count);
        // (v3) inputs get observation columns too (after the adjustments), so they are read and never unknown.
        foreach (var input in ruleset.Inputs) items.Add(input.Id, items.Count);
        // (annual §2) a source's derived rows are read by the indicator or adjustment of its id; without one they are
        // still the ruleset's own data, never unknown (a column no rule reads).
        foreach (var source in ruleset.Sources) items.TryAdd(source.Id, items.Count);
        ItemIndex = items;
        ClassIndex = ruleset.Classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        Info = Describe(ruleset, sha256);
        Rules = new ScoringRules(ruleset);
    }

    /// <summary>The ruleset model.</summary>
    public Ruleset Ruleset { get; }

    /// <summary>SHA-256 of the ruleset text.</summary>
    public string Sha256 { get; }

    /// <summary>The names of the NRules rules the ruleset became, in ruleset order (e.g. <c>indicator:fai</c>, <c>list:red</c>).</summary>
    public IReadOnlyList<string> RuleNames => Rules.RuleNames;

    /// <summary>Indicators first, then adjustments: the column of each id among a class's observation columns.</summary>
    internal IReadOnlyDictionary<string, int> ItemIndex { get; }

    internal IReadOnlyDictionary<string, int> ClassIndex { get; }

    internal RulesetInfo Info { get; }

    /// <summary>The ruleset as NRules rules and their compiled session factory.</summary>
    internal ScoringRules Rules { get; }

    /// <summary>
    /// Compiles a validated ruleset into NRules rules, or returns the one already compiled from the same text.
    /// Throws only if the model is invalid, which loading prevents.
    /// </summary>
    public static CompiledRuleset Compile(Ruleset ruleset, string sha256)
    {
        ArgumentNullException.ThrowIfNull(ruleset);
        ArgumentNullException.ThrowIfNull(sha256);
        if (Cache.TryGetValue(sha256, out var cached)) return cached;
        var compiled = CompileUncached(ruleset, sha256);
        if (Cache.Count >= CacheLimit) Cache.Clear();
        return Cache.GetOrAdd(sha256, compiled);
    }

    /// <summary>Compiles without the cache (the bench times cold compilations).</summary>
    internal static CompiledRuleset CompileUncached(Ruleset ruleset, string sha256) => new(ruleset, sha256);

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
            a.Kind == AdjustmentKind.Veto && !a.Exclude && r.HasGrades ? a.Grade ?? r.Grades.Levels[^1].Name : null)).ToImmutableArray());

    internal static string MetricName(Metric metric) => metric switch
    {
        Metric.Completion => "completion",
        Metric.Growth => "growth",
        Metric.Change => "change",
        _ => "value",
    };
}
