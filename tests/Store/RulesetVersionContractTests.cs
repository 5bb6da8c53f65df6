using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>
/// Ruleset versions in the store contract, on every implementation: a version's level and classes stored with its text
/// (and filled in, once, for versions an older program stored without them), and one active ruleset per level, kept
/// by the store even under concurrent activations.
/// </summary>
public abstract class RulesetVersionContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2025, 10, 8, 1, 0, 0, TimeSpan.Zero);

    protected IAssessStore Store { get; private set; } = null!;

    /// <summary>A new empty store, initialized.</summary>
    protected abstract Task<IAssessStore> CreateStoreAsync();

    /// <summary>A version as an older program stored it: the text, without level or classes.</summary>
    protected sealed record OldVersion(string RulesetId, int Version, string Yaml, string Author, DateTimeOffset At);

    /// <summary>An activation as an older program recorded it: the pointer of its id set (others of the level left active) and audited.</summary>
    protected sealed record OldActivation(string RulesetId, int Version, string Actor, DateTimeOffset At);

    /// <summary>
    /// A store (not initialized by this program yet) holding what an older program wrote: the versions without their
    /// outlines, the pointers the activations set, and their audit entries (<c>ruleset.add</c>, then <c>ruleset.activate</c>, in order).
    /// </summary>
    protected abstract Task<IAssessStore> OpenOlderStoreAsync(IReadOnlyList<OldVersion> versions, IReadOnlyList<OldActivation> activations);

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        await CleanupAsync();
    }

    /// <summary>Removes what the store factories made.</summary>
    protected virtual Task CleanupAsync() => Task.CompletedTask;

    private static string County(string id) => Mini.RulesetYaml.Replace("id: mini", $"id: {id}");

    private static string Town(string id) => County(id).Replace("level: county", "level: town").Replace("classes: [甲, 乙]", "classes: [乙, 甲]");

    private Task<RulesetVersion> AddAsync(string yaml, int minute = 0) =>
        Store.AddRulesetVersionAsync(RulesetLoader.Load(yaml).Ruleset!.Id, yaml, Mini.Outline(yaml), "author", T0.AddMinutes(minute));

    private async Task<string[]> ActiveAsync() =>
        [.. (await Store.ListRulesetsAsync()).Where(r => r.Active).Select(r => $"{r.Level.ToText()}:{r.RulesetId}@{r.Version}").Order(StringComparer.Ordinal)];

    private async Task<string[]> AuditAsync(int skip = 0) =>
        [.. (await Store.GetAuditLogAsync()).Skip(skip).Select(e => $"{e.Actor} {e.Action} {e.Target} {e.Detail}")];

    [Fact]
    public async Task A_version_keeps_its_level_and_classes_in_their_order_wherever_it_is_read()
    {
        var county = await AddAsync(County("c"));
        var town = await AddAsync(Town("t"), 1);
        Assert.Equal((UnitLevel.County, "甲,乙"), (county.Level, string.Join(",", county.Classes)));
        Assert.Equal((UnitLevel.Town, "乙,甲"), (town.Level, string.Join(",", town.Classes)));

        var read = (await Store.GetRulesetAsync("t", 1))!;
        Assert.Equal((UnitLevel.Town, "乙,甲"), (read.Level, string.Join(",", read.Classes)));
        var activated = await Store.ActivateRulesetAsync("t", 1, "chief", T0.AddMinutes(2));
        Assert.Equal((UnitLevel.Town, "乙,甲"), (activated.Level, string.Join(",", activated.Classes)));
        var active = (await Store.GetActiveRulesetAsync("t"))!;
        Assert.Equal((UnitLevel.Town, "乙,甲"), (active.Level, string.Join(",", active.Classes)));
        Assert.Equal(["c@1:county:甲,乙", "t@1:town:乙,甲"],
            (await Store.ListRulesetsAsync()).Select(r => $"{r.RulesetId}@{r.Version}:{r.Level.ToText()}:{string.Join(",", r.Classes)}"));

        // The same text again adds no version and comes back with what was stored.
        var same = await AddAsync(County("c"), 3);
        Assert.Equal((1, UnitLevel.County, "甲,乙"), (same.Version, same.Level, string.Join(",", same.Classes)));
    }

    [Fact]
    public async Task Another_ruleset_for_an_active_level_is_refused_naming_it_and_nothing_changes()
    {
        await AddAsync(County("a"));
        await AddAsync(County("b"), 1);
        await AddAsync(Town("t"), 2);
        await Store.ActivateRulesetAsync("a", 1, "chief", T0.AddMinutes(3));
        await Store.ActivateRulesetAsync("t", 1, "chief", T0.AddMinutes(4));
        var before = (await Store.GetAuditLogAsync()).Count;

        var e = await Assert.ThrowsAsync<StoreException>(() => Store.ActivateRulesetAsync("b", 1, "chief", T0.AddMinutes(5)));
        Assert.Equal(StoreError.Conflict, e.Error);
        Assert.Equal("县（市、区）层级已启用规则集 a@1，每个层级只能有一个启用的规则集；要改用 b@1，请明确替换（命令行 --replace，API ?replace=true，门户“启用并替换”；原规则集保留，但不再用于评价）", e.Message);
        Assert.Equal(["county:a@1", "town:t@1"], await ActiveAsync());
        Assert.Equal(before, (await Store.GetAuditLogAsync()).Count);

        // Another version of the active id is not another ruleset: it simply becomes the active version.
        await Store.AddRulesetVersionAsync("a", County("a").Replace("weight: 60", "weight: 50").Replace("weight: 40", "weight: 50"),
            Mini.Outline(County("a")), "author", T0.AddMinutes(6));
        await Store.ActivateRulesetAsync("a", 2, "chief", T0.AddMinutes(7));
        Assert.Equal(["county:a@2", "town:t@1"], await ActiveAsync());
    }

    [Fact]
    public async Task Replace_activates_and_deactivates_the_other_in_one_audited_change()
    {
        await AddAsync(County("a"));
        await AddAsync(County("b"), 1);
        await AddAsync(Town("t"), 2);
        await Store.ActivateRulesetAsync("a", 1, "chief", T0.AddMinutes(3));
        await Store.ActivateRulesetAsync("t", 1, "chief", T0.AddMinutes(4));
        var before = (await Store.GetAuditLogAsync()).Count;

        var b = await Store.ActivateRulesetAsync("b", 1, "office", T0.AddMinutes(5), replace: true);
        Assert.True(b.Active);
        Assert.Equal(["county:b@1", "town:t@1"], await ActiveAsync());
        Assert.Null(await Store.GetActiveRulesetAsync("a"));
        Assert.False((await Store.GetRulesetAsync("a", 1))!.Active);
        var sha = RulesetLoader.Sha256Hex(County("b"));
        Assert.Equal(["office ruleset.deactivate a@1 level=county replaced-by=b@1", $"office ruleset.activate b@1 sha256={sha} replaces=a@1"],
            await AuditAsync(before));
        var entries = (await Store.GetAuditLogAsync()).Skip(before).ToList();
        Assert.All(entries, x => Assert.Equal(T0.AddMinutes(5), x.At));

        // With replace and nothing to replace, it is a plain activation.
        await Store.ActivateRulesetAsync("t", 1, "office", T0.AddMinutes(6), replace: true);
        Assert.Equal($"office ruleset.activate t@1 sha256={RulesetLoader.Sha256Hex(Town("t"))}", (await AuditAsync()).Last());
    }

    [Fact]
    public async Task Deactivation_leaves_the_id_without_an_active_version_and_is_the_same_twice()
    {
        await AddAsync(County("a"));
        await AddAsync(County("b"), 1);
        await Store.ActivateRulesetAsync("a", 1, "chief", T0.AddMinutes(2));
        var before = (await Store.GetAuditLogAsync()).Count;

        var was = await Store.DeactivateRulesetAsync("a", "office", T0.AddMinutes(3));
        Assert.Equal(("a", 1, false, UnitLevel.County), (was!.RulesetId, was.Version, was.Active, was.Level));
        Assert.Null(await Store.GetActiveRulesetAsync("a"));
        Assert.Empty(await ActiveAsync());
        Assert.Equal([$"office ruleset.deactivate a@1 sha256={RulesetLoader.Sha256Hex(County("a"))}"], await AuditAsync(before));
        Assert.Equal(T0.AddMinutes(3), (await Store.GetAuditLogAsync()).Last().At);

        Assert.Null(await Store.DeactivateRulesetAsync("a", "office", T0.AddMinutes(4)));
        Assert.Equal(before + 1, (await Store.GetAuditLogAsync()).Count);
        var unknown = await Assert.ThrowsAsync<StoreException>(() => Store.DeactivateRulesetAsync("nope", "office", T0));
        Assert.Equal((StoreError.NotFound, "没有规则集 nope"), (unknown.Error, unknown.Message));

        // The level is free again: another ruleset activates without replace.
        await Store.ActivateRulesetAsync("b", 1, "chief", T0.AddMinutes(5));
        Assert.Equal(["county:b@1"], await ActiveAsync());
    }

    [Fact]
    public async Task Concurrent_activations_for_one_level_never_leave_two_active()
    {
        var ids = new[] { "r1", "r2", "r3", "r4", "r5", "r6" };
        for (var i = 0; i < ids.Length; i++) await AddAsync(County(ids[i]), i);

        // Without replace: exactly one wins the free level, every other is refused.
        var plain = await Task.WhenAll(ids.Select(id => Task.Run(async () =>
        {
            try
            {
                await Store.ActivateRulesetAsync(id, 1, "chief", T0.AddHours(1));
                return "ok";
            }
            catch (StoreException e) when (e.Error == StoreError.Conflict)
            {
                return "conflict";
            }
        })));
        Assert.Equal(1, plain.Count(r => r == "ok"));
        Assert.Equal(ids.Length - 1, plain.Count(r => r == "conflict"));
        Assert.Single(await ActiveAsync());

        // With replace: every one succeeds in turn, and one of them is left active.
        await Task.WhenAll(ids.Select(id => Task.Run(() => Store.ActivateRulesetAsync(id, 1, "chief", T0.AddHours(2), replace: true))));
        var active = Assert.Single(await ActiveAsync());
        var log = await Store.GetAuditLogAsync();
        Assert.Equal(1 + ids.Length, log.Count(e => e.Action == "ruleset.activate"));
        // Replayed in audit order, each change deactivated exactly the ruleset active before it (none when it was the
        // same id), so the level never had two and the last activated is the one left.
        string? current = null;
        foreach (var entry in log.Where(e => e.Action is "ruleset.activate" or "ruleset.deactivate"))
        {
            if (entry.Action == "ruleset.deactivate")
            {
                Assert.Equal(current, entry.Target);
                current = null;
            }
            else
            {
                Assert.True(current is null || current == entry.Target, $"{entry.Target} activated while {current} was active");
                current = entry.Target;
            }
        }
        Assert.Equal(active, "county:" + current);
    }

    [Fact]
    public async Task Versions_stored_without_outlines_get_them_and_a_level_an_older_replace_left_doubled_keeps_the_last_activated()
    {
        // A class name today's identifier rules refuse: the text no longer loads, its level and classes still read.
        var failsTodaysChecks = Town("c").Replace("classes: [乙, 甲]", "classes: [乙, 甲, 丙/丁]");
        Assert.False(RulesetLoader.Load(failsTodaysChecks).IsValid);
        var versions = new OldVersion[]
        {
            new("a", 1, County("a"), "author", T0),
            new("b", 1, County("b"), "author", T0.AddMinutes(1)),
            new("b", 2, County("b").Replace("weight: 60", "weight: 50").Replace("weight: 40", "weight: 50"), "author", T0.AddMinutes(2)),
            new("c", 1, failsTodaysChecks, "author", T0.AddMinutes(3)),
        };
        var activations = new OldActivation[]
        {
            new("b", 1, "chief", T0.AddHours(1)),
            new("a", 1, "chief", T0.AddHours(2)),
            new("c", 1, "chief", T0.AddHours(3)),
            new("b", 2, "deputy", T0.AddHours(4)), // the older --replace: a stayed marked active
        };
        await Store.DisposeAsync();
        Store = await OpenOlderStoreAsync(versions, activations);
        await Store.InitializeAsync();

        Assert.Equal(["a@1:county:甲,乙:False", "b@1:county:甲,乙:False", "b@2:county:甲,乙:True", "c@1:town:乙,甲,丙/丁:True"],
            (await Store.ListRulesetsAsync()).Select(r => $"{r.RulesetId}@{r.Version}:{r.Level.ToText()}:{string.Join(",", r.Classes)}:{r.Active}"));
        var log = await Store.GetAuditLogAsync();
        Assert.Equal(4 + 4 + 1, log.Count);
        var deactivated = log[^1];
        Assert.Equal(("deputy", "ruleset.deactivate", "a@1", "level=county replaced-by=b@2", T0.AddHours(4)),
            (deactivated.Actor, deactivated.Action, deactivated.Target, deactivated.Detail, deactivated.At));

        // Safe to repeat: nothing more is changed or audited.
        await Store.InitializeAsync();
        Assert.Equal(log.Count, (await Store.GetAuditLogAsync()).Count);
        Assert.Equal(["county:b@2", "town:c@1"], await ActiveAsync());

        // And the level's one active ruleset is now enforced.
        var e = await Assert.ThrowsAsync<StoreException>(() => Store.ActivateRulesetAsync("a", 1, "chief", T0.AddHours(5)));
        Assert.Equal(StoreError.Conflict, e.Error);
        await Store.ActivateRulesetAsync("a", 1, "chief", T0.AddHours(6), replace: true);
        Assert.Equal(["county:a@1", "town:c@1"], await ActiveAsync());
    }
}
