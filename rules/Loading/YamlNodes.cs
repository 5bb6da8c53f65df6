using BaiQianWan.Assess.Rules.Model;
using YamlDotNet.Core;

namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>A YAML node with the position it starts at and its text range in the source.</summary>
internal abstract class YamlNode(SourcePosition position, int startIndex, int endIndex)
{
    public SourcePosition Position { get; } = position;

    public int StartIndex { get; } = startIndex;

    public int EndIndex { get; } = endIndex;

    public abstract string KindName { get; }
}

internal sealed class YamlScalar(SourcePosition position, int startIndex, int endIndex, string value, ScalarStyle style)
    : YamlNode(position, startIndex, endIndex)
{
    public string Value { get; } = value;

    public ScalarStyle Style { get; } = style;

    /// <summary>Plain scalars are the only ones that can be numbers, booleans or null (YAML 1.2 core schema).</summary>
    public bool IsPlain => Style is ScalarStyle.Plain or ScalarStyle.Any;

    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string KindName => "标量";
}

internal sealed class YamlSequence(SourcePosition position, int startIndex, int endIndex, IReadOnlyList<YamlNode> items)
    : YamlNode(position, startIndex, endIndex)
{
    public IReadOnlyList<YamlNode> Items { get; } = items;

    public override string KindName => "列表";
}

internal sealed class YamlMapping(SourcePosition position, int startIndex, int endIndex, IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> entries)
    : YamlNode(position, startIndex, endIndex)
{
    public IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries { get; } = entries;

    public override string KindName => "映射";

    public YamlNode? this[string key]
    {
        get
        {
            foreach (var (k, v) in Entries)
                if (k.Value == key) return v;
            return null;
        }
    }

    public YamlScalar? KeyNode(string key)
    {
        foreach (var (k, _) in Entries)
            if (k.Value == key) return k;
        return null;
    }
}
