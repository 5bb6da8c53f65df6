using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>
/// What a store keeps beside a ruleset's text so that readers need not parse it: the level it evaluates and
/// its classes in order.
/// </summary>
/// <param name="Level">The <c>level</c>.</param>
/// <param name="Classes">The <c>classes</c>, in the ruleset's order.</param>
public sealed record RulesetOutline(UnitLevel Level, ImmutableArray<string> Classes)
{
    /// <summary>The outline of a loaded (valid) ruleset.</summary>
    public static RulesetOutline Of(Ruleset ruleset)
    {
        ArgumentNullException.ThrowIfNull(ruleset);
        return new RulesetOutline(ruleset.Level, ruleset.Classes);
    }

    /// <summary>
    /// Reads the outline of a stored text: from the loaded ruleset when it is valid, otherwise leniently from its
    /// top-level <c>level</c> and <c>classes</c> alone (a text stored under older rules may fail today's checks
    /// elsewhere; its level and classes are still what they were). Null when not even those can be read.
    /// </summary>
    public static RulesetOutline? Read(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var loaded = RulesetLoader.Load(yaml);
        if (loaded.IsValid) return Of(loaded.Ruleset!);
        if (yaml.Length > 0 && yaml[0] == '\uFEFF') yaml = yaml[1..];
        if (yaml.Length > RulesetLimits.MaxCharacters) return null;
        if (YamlTreeBuilder.Build(yaml, []) is not YamlMapping map) return null;
        if (map["level"] is not YamlScalar levelNode || !UnitLevels.TryParse(levelNode.Value, out var level)) return null;
        var classes = ImmutableArray.CreateBuilder<string>();
        if (map["classes"] is YamlSequence seq)
            foreach (var item in seq.Items)
                if (item is YamlScalar s && !classes.Contains(s.Value)) classes.Add(s.Value);
        return new RulesetOutline(level, classes.ToImmutable());
    }
}
