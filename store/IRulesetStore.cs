using BaiQianWan.Assess.Rules.Loading;

namespace BaiQianWan.Assess.Store;

/// <summary>
/// Rulesets: the stored versions of each ruleset id with their level and classes, and which version of each id is
/// active (one active ruleset a level at most).
/// </summary>
/// <remarks>
/// Part of <see cref="IAssessStore"/>: the same rules hold (every mutating call is all-or-nothing and appends its audit
/// entry in the same change; times come from the caller; refusals are <see cref="StoreException"/>).
/// </remarks>
public interface IRulesetStore
{
    /// <summary>
    /// Stores a (validated) ruleset text as the next version of <paramref name="rulesetId"/> (versions count
    /// from 1), with its <paramref name="outline"/> (level and classes, as the caller read them from the text) so
    /// that readers never parse the text to learn them. If the text's SHA-256 equals the latest version's, no
    /// version is added and that one is returned.
    /// </summary>
    Task<RulesetVersion> AddRulesetVersionAsync(string rulesetId, string yaml, RulesetOutline outline, string actor, DateTimeOffset at,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes a stored version the active one for its ruleset id. A level has one active ruleset at most: when a
    /// ruleset of another id is active for the version's level, the call is refused (<see cref="StoreError.Conflict"/>,
    /// naming it and how to replace it) unless <paramref name="replace"/> is set, and then that one is deactivated
    /// in the same change (audited as <c>ruleset.deactivate</c>). Concurrent activations are serialized: they never
    /// leave two active rulesets for one level. Earlier evaluations are unaffected.
    /// </summary>
    Task<RulesetVersion> ActivateRulesetAsync(string rulesetId, int version, string actor, DateTimeOffset at, bool replace = false,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Leaves ruleset id <paramref name="rulesetId"/> with no active version (its versions stay stored, audited as
    /// <c>ruleset.deactivate</c>); returns the version that was active, now inactive, or null when none was (then
    /// nothing is written: deactivating twice is the same as once). <see cref="StoreError.NotFound"/> for an id with no versions.
    /// </summary>
    Task<RulesetVersion?> DeactivateRulesetAsync(string rulesetId, string actor, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>One version with its text, or null.</summary>
    Task<RulesetVersion?> GetRulesetAsync(string rulesetId, int version, CancellationToken cancellationToken = default);

    /// <summary>The active version of a ruleset id, or null when none is active.</summary>
    Task<RulesetVersion?> GetActiveRulesetAsync(string rulesetId, CancellationToken cancellationToken = default);

    /// <summary>Every version of every ruleset (by id, then version), texts included.</summary>
    Task<IReadOnlyList<RulesetVersion>> ListRulesetsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Every version of every ruleset (by id, then version) without its text: what listings need (id, version, hash,
    /// author, time, whether active, level, classes), read without loading a text.
    /// </summary>
    Task<IReadOnlyList<RulesetVersionInfo>> ListRulesetVersionsAsync(CancellationToken cancellationToken = default);
}
