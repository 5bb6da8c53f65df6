using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>Loads and validates a ruleset from its YAML text (spec §2).</summary>
public static class RulesetLoader
{
    /// <summary>Parses and validates YAML text. Never throws for bad input: problems come back as diagnostics.</summary>
    public static RulesetLoadResult Load(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        if (yaml.Length > 0 && yaml[0] == '\uFEFF') yaml = yaml[1..];
        var sha = Sha256Hex(yaml);
        var diagnostics = new List<RulesetDiagnostic>();
        if (yaml.Length > RulesetLimits.MaxCharacters)
            return new RulesetLoadResult(null, [new RulesetDiagnostic(new(1, 1), $"规则集超过 {RulesetLimits.MaxCharacters / 1024} KB（{yaml.Length} 个字符），不予处理", RulesetCodes.TooLarge) { Length = 0 }], sha);
        var root = YamlTreeBuilder.Build(yaml, diagnostics);
        var ruleset = root is null ? null : RulesetReader.Read(yaml, root, diagnostics);
        var ordered = SourceSpans.WithLengths(yaml, diagnostics
            .OrderBy(d => d.Position.Line).ThenBy(d => d.Position.Column)
            .ToImmutableArray());
        var valid = ordered.IsEmpty ? ruleset : null;
        return new RulesetLoadResult(valid, ordered, sha) { Warnings = valid is null ? [] : SourceSpans.WithLengths(yaml, RulesetWarnings.Of(valid, ClassPositions(root))) };
    }

    /// <summary>Where each class is written in <c>classes</c> (a valid ruleset's classes are those items, in order).</summary>
    private static IReadOnlyList<Model.SourcePosition> ClassPositions(YamlNode? root) =>
        root is YamlMapping map && map["classes"] is YamlSequence classes ? [.. classes.Items.Select(i => i.Position)] : [];

    /// <summary>Lower-case hex SHA-256 of text encoded as UTF-8 (no BOM).</summary>
    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
