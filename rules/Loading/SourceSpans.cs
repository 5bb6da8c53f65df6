using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>Positions and extents in an author's YAML text, for diagnostics' line, column and length.</summary>
internal static class SourceSpans
{
    /// <summary>The 1-based line and column of a character index.</summary>
    public static SourcePosition PositionOf(string source, int index)
    {
        int line = 1, column = 1;
        for (var i = 0; i < index; i++)
        {
            if (source[i] == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }
        return new SourcePosition(line, column);
    }

    /// <summary>
    /// A node's extent on its first line: a scalar as written (quotes included), a flow mapping or list to its closing
    /// bracket when on one line, a block mapping or list to the end of its first line; trailing spaces left out.
    /// </summary>
    public static int Extent(string source, YamlNode node)
    {
        var start = Math.Clamp(node.StartIndex, 0, source.Length);
        var end = Math.Clamp(node.EndIndex, start, source.Length);
        var lineEnd = source.IndexOf('\n', start);
        if (lineEnd >= 0 && end > lineEnd) end = lineEnd;
        while (end > start && source[end - 1] is ' ' or '\t' or '\r') end--;
        return end - start;
    }

    /// <summary>
    /// The length of the plain word at a position (up to a space, a comma, a bracket, a colon followed by a space, a
    /// comment or the line's end), for a diagnostic made without a node: 0 at the end of a line or of the text.
    /// </summary>
    public static int WordAt(string source, SourcePosition position)
    {
        var index = IndexOf(source, position);
        if (index < 0) return 0;
        var end = index;
        while (end < source.Length)
        {
            var c = source[end];
            if (c is '\n' or '\r' or ' ' or '\t' or ',' or '[' or ']' or '{' or '}' or '#') break;
            if (c == ':' && (end + 1 == source.Length || source[end + 1] is ' ' or '\n' or '\r')) break;
            end++;
        }
        return end - index;
    }

    /// <summary>The diagnostics with every length known: those made without a node get the word at their position.</summary>
    public static ImmutableArray<RulesetDiagnostic> WithLengths(string source, ImmutableArray<RulesetDiagnostic> diagnostics) =>
        diagnostics.All(d => d.Length is not null)
            ? diagnostics
            : [.. diagnostics.Select(d => d.Length is null ? d with { Length = WordAt(source, d.Position) } : d)];

    /// <summary>The character index of a 1-based line and column, or −1 past the text.</summary>
    private static int IndexOf(string source, SourcePosition position)
    {
        var index = 0;
        for (var line = 1; line < position.Line; line++)
        {
            index = source.IndexOf('\n', index);
            if (index < 0) return -1;
            index++;
        }
        var at = index + position.Column - 1;
        var lineEnd = source.IndexOf('\n', index);
        if (at > (lineEnd < 0 ? source.Length : lineEnd)) return -1;
        return at;
    }
}
