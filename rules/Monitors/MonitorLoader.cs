using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Loading;

namespace BaiQianWan.Assess.Rules.Monitors;

/// <summary>Loads and validates a monitor (<c>kind: monitor</c>) from its YAML text, as <see cref="RulesetLoader"/> does rulesets.</summary>
public static class MonitorLoader
{
    /// <summary>Parses and validates YAML text. Never throws for bad input: problems come back as diagnostics with codes.</summary>
    public static MonitorLoadResult Load(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        if (yaml.Length > 0 && yaml[0] == '\uFEFF') yaml = yaml[1..];
        var sha = RulesetLoader.Sha256Hex(yaml);
        if (yaml.Length > RulesetLimits.MaxCharacters)
            return new MonitorLoadResult(null, [new RulesetDiagnostic(new(1, 1), $"通报规则超过 {RulesetLimits.MaxCharacters / 1024} KB（{yaml.Length} 个字符），不予处理", RulesetCodes.TooLarge) { Length = 0 }], sha);
        var diagnostics = new List<RulesetDiagnostic>();
        var root = YamlTreeBuilder.Build(yaml, diagnostics);
        var monitor = root is null ? null : MonitorReader.Read(yaml, root, diagnostics);
        var ordered = SourceSpans.WithLengths(yaml, diagnostics.OrderBy(d => d.Position.Line).ThenBy(d => d.Position.Column).ToImmutableArray());
        return new MonitorLoadResult(ordered.IsEmpty ? monitor : null, ordered, sha);
    }

    /// <summary>
    /// True when the text is meant as a monitor: its root is a mapping with a <c>kind</c> key (whatever its value: a
    /// <c>kind</c> other than <c>monitor</c> is the monitor loader's error to report). A file without <c>kind</c>, or
    /// one that is not YAML, is for <see cref="RulesetLoader"/>.
    /// </summary>
    public static bool IsMonitorText(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        if (yaml.Length > RulesetLimits.MaxCharacters) return false;
        var root = YamlTreeBuilder.Build(yaml.Length > 0 && yaml[0] == '\uFEFF' ? yaml[1..] : yaml, []);
        return root is YamlMapping map && map.KeyNode("kind") is not null;
    }
}
