using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;

namespace BaiQianWan.Assess.Store;

/// <summary>
/// A stored ruleset version without its text (<see cref="IRulesetStore.ListRulesetVersionsAsync"/>): what listings show,
/// read without loading or parsing any YAML.
/// </summary>
/// <param name="RulesetId">The ruleset's <c>id</c>.</param>
/// <param name="Version">Version number, from 1.</param>
/// <param name="Sha256">SHA-256 of the YAML text (UTF-8), lowercase hex.</param>
/// <param name="Author">Who uploaded it.</param>
/// <param name="CreatedAt">When.</param>
/// <param name="Active">Whether this is the active version of its id (and so the active ruleset of its <paramref name="Level"/>).</param>
/// <param name="Level">The level the text evaluates, as stored with it.</param>
/// <param name="Classes">The classes the text defines, in its order, as stored with it.</param>
public sealed record RulesetVersionInfo(string RulesetId, int Version, string Sha256, string Author, DateTimeOffset CreatedAt, bool Active,
    UnitLevel Level, IReadOnlyList<string> Classes)
{
    /// <summary>What the text is, as stored with it (<see cref="RulesetVersion.Slot"/>).</summary>
    public RulesetSlot Slot { get; init; } = RulesetSlot.Quarter;

    /// <summary>True for a monitor.</summary>
    public bool IsMonitor => Slot == RulesetSlot.Monitor;

    /// <summary>The order listings use: by ruleset id (ordinal), then version.</summary>
    public static int ByIdThenVersion(RulesetVersionInfo a, RulesetVersionInfo b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var byId = string.CompareOrdinal(a.RulesetId, b.RulesetId);
        return byId != 0 ? byId : a.Version.CompareTo(b.Version);
    }
}
