using System.Collections.Concurrent;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Monitors;
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
    private readonly ConcurrentDictionary<string, CompiledMonitor> _monitors = new(StringComparer.Ordinal);
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

    /// <summary>
    /// (annual §2) The ids the active <c>cadence: year</c> rulesets' sources derive — each source's id and its generated
    /// inputs — each with what derives it (<c>mini-year@1 的数据来源 avg</c>), for refusing them in uploads. Empty when no
    /// year ruleset with sources is active.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> DerivedIdsAsync(CancellationToken cancellationToken = default)
    {
        var derived = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var info in (await _store.ListRulesetVersionsAsync(cancellationToken)).Where(r => r.Active && r.Slot == RulesetSlot.Year)
                     .OrderBy(r => r.Level).ThenBy(r => r.RulesetId, StringComparer.Ordinal))
        {
            var stored = await GetAsync(info.RulesetId, info.Version, cancellationToken);
            var ruleset = Compile(stored).Ruleset;
            if (ruleset.Sources.IsDefaultOrEmpty) continue;
            foreach (var source in ruleset.Sources)
                foreach (var id in source.InputIds.Prepend(source.Id))
                    derived.TryAdd(id, $"{stored.RulesetId}@{stored.Version} 的数据来源 {source.Id}");
        }
        return derived;
    }

    /// <summary>The compiled form of a stored version: parsed, checked and compiled the first time its text is seen.</summary>
    /// <exception cref="InvalidOperationException">The stored text no longer loads (it was valid when stored).</exception>
    /// <exception cref="StoreException">Invalid: the version is a monitor (<see cref="CompileMonitor"/> compiles those).</exception>
    public CompiledRuleset Compile(RulesetVersion stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.IsMonitor)
            throw new StoreException(StoreError.Invalid, $"{stored.RulesetId}@{stored.Version} 是月度监测（kind: monitor），只评价月份（YYYY-MM）");
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

    /// <summary>The compiled form of a stored monitor (<c>kind: monitor</c>): loaded and compiled the first time its text is seen.</summary>
    /// <exception cref="StoreException">Invalid: the version is a scoring ruleset, not a monitor.</exception>
    /// <exception cref="InvalidOperationException">The stored text no longer loads (it was valid when stored).</exception>
    public CompiledMonitor CompileMonitor(RulesetVersion stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!stored.IsMonitor)
            throw new StoreException(StoreError.Invalid, $"{stored.RulesetId}@{stored.Version} 是{stored.Slot.ToChinese()}，不是月度监测（kind: monitor）");
        if (_monitors.TryGetValue(stored.Sha256, out var cached)) return cached;
        Interlocked.Increment(ref _parses);
        var loaded = MonitorLoader.Load(stored.Yaml);
        if (!loaded.IsValid)
            throw new InvalidOperationException($"存储的通报规则 {stored.RulesetId}@{stored.Version} 无法加载：{string.Join("; ", loaded.Diagnostics)}");
        return KeepMonitor(stored.Sha256, CompiledMonitor.Compile(loaded.Monitor!, loaded.Sha256));
    }

    /// <summary>
    /// Parses a monitor text about to be stored: invalid, its diagnostics; valid, compiled (NRules compiles its rules, as
    /// validate promises) and kept for the runs of the version it becomes.
    /// </summary>
    public MonitorLoadResult LoadMonitor(string yaml)
    {
        Interlocked.Increment(ref _parses);
        var loaded = MonitorLoader.Load(yaml);
        if (loaded.IsValid) KeepMonitor(loaded.Sha256, CompiledMonitor.Compile(loaded.Monitor!, loaded.Sha256));
        return loaded;
    }

    private CompiledMonitor KeepMonitor(string sha256, CompiledMonitor compiled)
    {
        if (_monitors.Count >= Limit) _monitors.Clear();
        return _monitors.GetOrAdd(sha256, compiled);
    }

    private CompiledRuleset Keep(string sha256, CompiledRuleset compiled)
    {
        if (_compiled.Count >= Limit) _compiled.Clear();
        return _compiled.GetOrAdd(sha256, compiled);
    }
}
