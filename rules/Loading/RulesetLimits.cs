namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>
/// Bounds on a ruleset's YAML text, checked while it is parsed so that no input can exhaust the stack or the
/// memory of the process: a ruleset past any of them is refused with a diagnostic at the place it was passed.
/// Real rulesets are far inside them (the sample province's are about 10 KB, 8 levels deep, 600 nodes).
/// </summary>
public static class RulesetLimits
{
    /// <summary>Most characters of YAML text (1 MiB).</summary>
    public const int MaxCharacters = 1 << 20;

    /// <summary>Deepest nesting of sequences and mappings (the document's root is depth 1).</summary>
    public const int MaxDepth = 32;

    /// <summary>Most YAML nodes (scalars, sequences, mappings; keys included).</summary>
    public const int MaxNodes = 100_000;
}
