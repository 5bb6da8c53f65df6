using BaiQianWan.Assess.Rules.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>
/// Builds a position-carrying node tree from YamlDotNet's event parser. We build our own tree rather
/// than use the representation model so that duplicate keys, scalar styles (YAML 1.2: only plain
/// scalars are numbers or booleans) and positions are all under our control.
/// </summary>
internal sealed class YamlTreeBuilder
{
    private readonly IParser _parser;
    private readonly List<RulesetDiagnostic> _diagnostics;
    private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);
    private SourcePosition _lastPosition = new(1, 1);
    private int _depth;
    private int _nodes;

    private YamlTreeBuilder(IParser parser, List<RulesetDiagnostic> diagnostics)
    {
        _parser = parser;
        _diagnostics = diagnostics;
    }

    /// <summary>Parses one YAML document; syntax errors become diagnostics and give null.</summary>
    public static YamlNode? Build(string text, List<RulesetDiagnostic> diagnostics)
    {
        var parser = new Parser(new StringReader(text));
        var builder = new YamlTreeBuilder(parser, diagnostics);
        try
        {
            return builder.BuildStream();
        }
        catch (LimitExceededException e)
        {
            diagnostics.Add(new RulesetDiagnostic(e.Position, e.Message, RulesetCodes.YamlLimit));
            return null;
        }
        catch (YamlException e)
        {
            diagnostics.Add(new RulesetDiagnostic(ToPosition(e.Start), "YAML 语法错误：" + CleanMessage(e.Message), RulesetCodes.YamlSyntax));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner gives up without a position on some malformed input (e.g. an unclosed
            // flow sequence followed by a plain scalar); point just after the last node that did parse.
            diagnostics.Add(new RulesetDiagnostic(builder._lastPosition, "YAML 语法错误：此处之后的内容无法解析（括号或引号是否没有闭合？）", RulesetCodes.YamlSyntax));
            return null;
        }
    }

    private YamlNode? BuildStream()
    {
        _parser.Consume<StreamStart>();
        if (_parser.Accept<StreamEnd>(out var end))
        {
            _diagnostics.Add(new RulesetDiagnostic(ToPosition(end.Start), "规则集为空", RulesetCodes.Empty));
            return null;
        }
        _parser.Consume<DocumentStart>();
        var root = BuildNode();
        _parser.Consume<DocumentEnd>();
        if (_parser.Accept<DocumentStart>(out var second))
            _diagnostics.Add(new RulesetDiagnostic(ToPosition(second.Start), "一个文件只能有一个规则集（发现第二个 YAML 文档）", RulesetCodes.SecondDocument));
        return root;
    }

    private YamlNode BuildNode()
    {
        if (_parser.Current is { } current)
        {
            _lastPosition = ToPosition(current.End);
            // Limits are checked before descending, so a hostile nesting is refused long before the stack is at risk.
            if (++_nodes > RulesetLimits.MaxNodes)
                throw new LimitExceededException(ToPosition(current.Start), $"规则集的 YAML 节点超过 {RulesetLimits.MaxNodes} 个，不予处理");
            if (current is SequenceStart or MappingStart && _depth >= RulesetLimits.MaxDepth)
                throw new LimitExceededException(ToPosition(current.Start), $"规则集的 YAML 嵌套超过 {RulesetLimits.MaxDepth} 层，不予处理");
        }
        if (_parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (_anchors.TryGetValue(alias.Value.Value, out var target)) return target;
            throw new YamlException(alias.Start, alias.End, $"未定义的锚点 '{alias.Value.Value}'");
        }
        if (_parser.TryConsume<Scalar>(out var scalar))
        {
            var node = new YamlScalar(ToPosition(scalar.Start), (int)scalar.Start.Index, (int)scalar.End.Index, scalar.Value, scalar.Style);
            Remember(scalar.Anchor, node);
            return node;
        }
        if (_parser.TryConsume<SequenceStart>(out var seqStart))
        {
            var items = new List<YamlNode>();
            _depth++;
            while (!_parser.Accept<SequenceEnd>(out _)) items.Add(BuildNode());
            _depth--;
            var seqEnd = _parser.Consume<SequenceEnd>();
            var node = new YamlSequence(ToPosition(seqStart.Start), (int)seqStart.Start.Index, (int)seqEnd.End.Index, items);
            Remember(seqStart.Anchor, node);
            return node;
        }
        if (_parser.TryConsume<MappingStart>(out var mapStart))
        {
            var entries = new List<KeyValuePair<YamlScalar, YamlNode>>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            _depth++;
            while (!_parser.Accept<MappingEnd>(out _))
            {
                var keyNode = BuildNode();
                var value = BuildNode();
                if (keyNode is not YamlScalar key)
                {
                    _diagnostics.Add(new RulesetDiagnostic(keyNode.Position, "键必须是简单的文字", RulesetCodes.ComplexKey));
                    continue;
                }
                if (!seen.Add(key.Value))
                {
                    _diagnostics.Add(new RulesetDiagnostic(key.Position, $"重复的键 '{key.Value}'", RulesetCodes.DuplicateKey)
                    {
                        Length = Math.Max(0, key.EndIndex - key.StartIndex),
                    });
                    continue;
                }
                entries.Add(new KeyValuePair<YamlScalar, YamlNode>(key, value));
            }
            _depth--;
            var mapEnd = _parser.Consume<MappingEnd>();
            var node = new YamlMapping(ToPosition(mapStart.Start), (int)mapStart.Start.Index, (int)mapEnd.End.Index, entries);
            Remember(mapStart.Anchor, node);
            return node;
        }
        var unexpected = _parser.Current!;
        throw new YamlException(unexpected.Start, unexpected.End, "意外的 YAML 内容");
    }

    private void Remember(AnchorName anchor, YamlNode node)
    {
        if (!anchor.IsEmpty) _anchors[anchor.Value] = node;
    }

    private sealed class LimitExceededException(SourcePosition position, string message) : Exception(message)
    {
        public SourcePosition Position { get; } = position;
    }

    internal static SourcePosition ToPosition(Mark mark) => new((int)mark.Line, (int)mark.Column);

    private static string CleanMessage(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: …): "; the position is already ours.
        var i = message.IndexOf("): ", StringComparison.Ordinal);
        return i >= 0 && message.StartsWith('(') ? message[(i + 3)..] : message;
    }
}
