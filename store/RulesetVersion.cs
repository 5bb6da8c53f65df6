using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;

namespace BaiQianWan.Assess.Store;

/// <summary>An immutable stored version of a ruleset.</summary>
/// <param name="RulesetId">The ruleset's <c>id</c>.</param>
/// <param name="Version">Version number, from 1.</param>
/// <param name="Sha256">SHA-256 of the YAML text (UTF-8), lowercase hex.</param>
/// <param name="Yaml">The text exactly as uploaded.</param>
/// <param name="Author">Who uploaded it.</param>
/// <param name="CreatedAt">When.</param>
/// <param name="Active">Whether this is the active version of its id (and so the active one of its <paramref name="Level"/> and <see cref="Slot"/>: one at most each).</param>
/// <param name="Level">The level the text evaluates (its <c>level</c>), stored with the text so that readers need not parse it.</param>
/// <param name="Classes">The classes the text defines (its <c>classes</c>), in its order; stored with the text likewise.</param>
public sealed record RulesetVersion(string RulesetId, int Version, string Sha256, string Yaml, string Author, DateTimeOffset CreatedAt, bool Active,
    UnitLevel Level, IReadOnlyList<string> Classes)
{
    /// <summary>
    /// What the text is (a quarterly or yearly scoring ruleset, or a monitor): the active slot of its level it takes. A level
    /// has one active version per slot; versions stored before slots were kept are quarterly scoring rulesets.
    /// </summary>
    public RulesetSlot Slot { get; init; } = RulesetSlot.Quarter;

    /// <summary>True for a monitor (<c>kind: monitor</c>).</summary>
    public bool IsMonitor => Slot == RulesetSlot.Monitor;

    /// <summary>This version without its text.</summary>
    public RulesetVersionInfo Info => new(RulesetId, Version, Sha256, Author, CreatedAt, Active, Level, Classes) { Slot = Slot };

    /// <summary>The order listings use: by ruleset id (ordinal), then version.</summary>
    public static int ByIdThenVersion(RulesetVersion a, RulesetVersion b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var byId = string.CompareOrdinal(a.RulesetId, b.RulesetId);
        return byId != 0 ? byId : a.Version.CompareTo(b.Version);
    }
}
