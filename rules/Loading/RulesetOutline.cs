using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Model;
using BaiQianWan.Assess.Rules.Monitors;

namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>
/// What a store keeps beside a ruleset's text so that readers need not parse it: the level it evaluates, its
/// classes in order, and the active slot it takes (a quarterly or yearly scoring ruleset, or a monitor).
/// </summary>
/// <param name="Level">The <c>level</c>.</param>
/// <param name="Classes">The <c>classes</c>, in the ruleset's order.</param>
/// <param name="Slot">What the text is (its kind and cadence): the level's active slot it takes when activated.</param>
public sealed record RulesetOutline(UnitLevel Level, ImmutableArray<string> Classes, RulesetSlot Slot = RulesetSlot.Quarter)
{
    /// <summary>The outline of a loaded (valid) monitor: its level and classes, slot <see cref="RulesetSlot.Monitor"/>.</summary>
    public static RulesetOutline Of(MonitorDefinition monitor)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        return new RulesetOutline(monitor.Level, monitor.Classes, RulesetSlot.Monitor);
    }

    /// <summary>The outline of a loaded (valid) ruleset.</summary>
    public static RulesetOutline Of(Ruleset ruleset)
    {
        ArgumentNullException.ThrowIfNull(ruleset);
        return new RulesetOutline(ruleset.Level, ruleset.Classes, ruleset.Cadence == Cadence.Year ? RulesetSlot.Year : RulesetSlot.Quarter);
    }

    /// <summary>
    /// Reads the outline of a stored text: from the loaded ruleset when it is valid, otherwise leniently from its
    /// top-level <c>level</c> and <c>classes</c> alone (a text stored under older rules may fail today's checks
    /// elsewhere; its level and classes are still what they were). Null when not even those can be read.
    /// </summary>
    public static RulesetOutline? Read(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var monitor = MonitorLoader.IsMonitorText(yaml);
        if (monitor && MonitorLoader.Load(yaml) is { IsValid: true } loadedMonitor) return Of(loadedMonitor.Monitor!);
        var loaded = monitor ? null : RulesetLoader.Load(yaml);
        if (loaded is { IsValid: true }) return Of(loaded.Ruleset!);
        if (yaml.Length > 0 && yaml[0] == '\uFEFF') yaml = yaml[1..];
        if (yaml.Length > RulesetLimits.MaxCharacters) return null;
        if (YamlTreeBuilder.Build(yaml, []) is not YamlMapping map) return null;
        if (map["level"] is not YamlScalar levelNode || !UnitLevels.TryParse(levelNode.Value, out var level)) return null;
        var classes = ImmutableArray.CreateBuilder<string>();
        if (map["classes"] is YamlSequence seq)
            foreach (var item in seq.Items)
                if (item is YamlScalar s && !classes.Contains(s.Value)) classes.Add(s.Value);
        var slot = monitor ? RulesetSlot.Monitor
            : map["cadence"] is YamlScalar { Value: "year" } ? RulesetSlot.Year : RulesetSlot.Quarter;
        return new RulesetOutline(level, classes.ToImmutable(), slot);
    }
}
