using System.Collections.Concurrent;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow.Rulesets;

/// <summary>
/// The stored ruleset versions as the workflow uses them: found by id and version (or the active one), and handed out
/// compiled. A version's text is parsed, checked and compiled once per content hash (its stored SHA-256) in this
/// process and the compiled form cached, so a run, its preview and its template never parse the same text again.
/// </summary>
public sealed class RulesetCatalog
{
    /// <summary>Texts kept compiled at most (rule authors preview drafts one after another; the cache starts over past it).</summary>
    internal const int Limit = 32;

    private readonly IRulesetStore _store;
    private readonly ConcurrentDictionary<string, CompiledRuleset> _compiled = new(StringComparer.Ordinal);
    private int _parses;

    /// <summary>Creates the catalog over a store.</summary>
    public RulesetCatalog(IRulesetStore store) => _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>How many texts this catalog has parsed (tests count them: once per content hash).</summary>
    internal int Parses => Volatile.Read(ref _parses);

    /// <summary>A stored version (null = the active one), or a <see cref="StoreException"/> (not found).</summary>
    public async Task<RulesetVersion> GetAsync(string rulesetId, int? version, CancellationToken cancellationToken = default) =>
        version is { } v
            ? await _store.GetRulesetAsync(rulesetId, v, cancellationToken) ?? throw new StoreException(StoreError.NotFound, $"规则集 {rulesetId} 没有版本 {v}")
            : await _store.GetActiveRulesetAsync(rulesetId, cancellationToken) ?? throw new StoreException(StoreError.NotFound, $"规则集 {rulesetId} 没有启用的版本");

    /// <summary>The compiled form of a stored version: parsed, checked and compiled the first time its text is seen.</summary>
    /// <exception cref="InvalidOperationException">The stored text no longer loads (it was valid when stored).</exception>
    public CompiledRuleset Compile(RulesetVersion stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (_compiled.TryGetValue(stored.Sha256, out var cached)) return cached;
        Interlocked.Increment(ref _parses);
        var loaded = RulesetLoader.Load(stored.Yaml);
        if (!loaded.IsValid)
            throw new InvalidOperationException($"存储的规则集 {stored.RulesetId}@{stored.Version} 无法加载：{string.Join("; ", loaded.Diagnostics)}");
        return Keep(stored.Sha256, CompiledRuleset.Compile(loaded.Ruleset!, loaded.Sha256));
    }

    /// <summary>
    /// Parses a text about to be stored: invalid, its diagnostics; valid, compiled (NRules compiles it, as validate
    /// promises) and kept for the runs of the version it becomes.
    /// </summary>
    public RulesetLoadResult Load(string yaml)
    {
        Interlocked.Increment(ref _parses);
        var loaded = RulesetLoader.Load(yaml);
        if (loaded.IsValid) Keep(loaded.Sha256, CompiledRuleset.Compile(loaded.Ruleset!, loaded.Sha256));
        return loaded;
    }

    private CompiledRuleset Keep(string sha256, CompiledRuleset compiled)
    {
        if (_compiled.Count >= Limit) _compiled.Clear();
        return _compiled.GetOrAdd(sha256, compiled);
    }
}
