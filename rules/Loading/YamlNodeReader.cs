using System.Text.RegularExpressions;
using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>
/// What every reader of an author's YAML (scoring rulesets, monitors) does with a node: require a key, read text, a
/// key-like id or a name, a mapping or a list, and report what is wrong at the node, with the shared RS1xxx codes and
/// the same words, so an author reads the same message whichever kind of file they wrote.
/// </summary>
internal abstract partial class YamlNodeReader
{
    /// <summary>What an id or grade name may be, in the messages.</summary>
    protected const string KeyRule = "1–32 个可打印字符，不含 / 和 \\，首尾不能有空格";

    /// <summary>The YAML text (to place formula errors inside a scalar).</summary>
    protected readonly string _source;

    /// <summary>Where every problem goes; a reader keeps going after one so the author sees them all.</summary>
    protected readonly List<RulesetDiagnostic> _diagnostics;

    protected YamlNodeReader(string source, List<RulesetDiagnostic> diagnostics)
    {
        _source = source;
        _diagnostics = diagnostics;
    }

    protected YamlNode? Required(YamlMapping map, string key, string what)
    {
        var node = map[key];
        if (node is null) Error(map, $"{what} 缺少必填项 '{key}'", RulesetCodes.MissingKey);
        else if (node is YamlScalar { IsNull: true })
        {
            Error(node, $"{what} 的 '{key}' 不能为空", RulesetCodes.NullValue);
            return null;
        }
        return node;
    }

    protected string? RequiredText(YamlMapping map, string key, string what) =>
        Required(map, key, what) is { } node ? ScalarText(node, key) : null;

    protected string? OptionalText(YamlMapping map, string key)
    {
        if (map[key] is not { } node || node is YamlScalar { IsNull: true } || ScalarText(node, key) is not { } text) return null;
        if (TextRules.IsName(text)) return text;
        Error(node, $"{key} 含有控制字符或超过 {TextRules.MaxNameLength} 个字符", RulesetCodes.BadName);
        return null;
    }

    /// <summary>A required id or grade name: a key (no control characters, no path separators; docs/rules.md).</summary>
    protected string? KeyText(YamlMapping map, string key, string what)
    {
        if (RequiredText(map, key, what) is not { } text) return null;
        if (TextRules.IsKey(text)) return text;
        Error(map[key]!, $"{what}的 {key} '{TextRules.Escape(text)}' 不合规（{KeyRule}）", RulesetCodes.BadKeyText);
        return null;
    }

    protected string? ScalarText(YamlNode node, string what)
    {
        if (node is YamlScalar s && !s.IsNull && s.Value.Trim().Length > 0) return s.Value;
        Error(node, $"{what} 应为一段非空文字，这里是{(node is YamlScalar ? "空值" : node.KindName)}", RulesetCodes.NotText);
        return null;
    }

    protected YamlMapping? AsMapping(YamlNode node, string what)
    {
        if (node is YamlMapping m) return m;
        Error(node, $"{what} 应为映射（键: 值），这里是{node.KindName}", RulesetCodes.NotMapping);
        return null;
    }

    protected YamlSequence? AsSequence(YamlNode node, string what)
    {
        if (node is YamlSequence s) return s;
        Error(node, $"{what} 应为列表，这里是{node.KindName}", RulesetCodes.NotList);
        return null;
    }

    protected void Error(YamlNode node, string message, string code) =>
        _diagnostics.Add(new RulesetDiagnostic(node.Position, message, code) { Length = SourceSpans.Extent(_source, node) });

    protected static string Show(YamlNode node) => node is YamlScalar s ? $"'{s.Value}'" : node.KindName;

    /// <summary>YAML 1.2 core schema numbers (decimal notation); .inf and .nan are not scores.</summary>
    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    protected static partial Regex NumberPattern();
}
