using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>
/// Maps an offset inside a scalar's parsed value back to a line and column in the YAML source, so a
/// formula error points at the exact character, whether the formula is plain, quoted or a block scalar.
/// </summary>
internal static class ScalarOffsets
{
    public static SourcePosition Locate(string source, YamlScalar scalar, int valueOffset) =>
        SourceSpans.PositionOf(source, IndexOf(source, scalar, valueOffset));

    /// <summary>
    /// The position of <paramref name="length"/> characters of the scalar's value from <paramref name="valueOffset"/>, and
    /// how many source characters they take on that line (a token's escapes count as written; a span that runs past the
    /// line ends there).
    /// </summary>
    public static (SourcePosition Position, int Length) LocateSpan(string source, YamlScalar scalar, int valueOffset, int length)
    {
        var start = IndexOf(source, scalar, valueOffset);
        var end = length <= 0 ? start : IndexOf(source, scalar, valueOffset + length - 1) + 1;
        var lineEnd = source.IndexOf('\n', start);
        if (lineEnd >= 0 && end > lineEnd) end = lineEnd;
        return (SourceSpans.PositionOf(source, start), Math.Max(0, end - start));
    }

    /// <summary>The index in <paramref name="source"/> of the scalar value's character at <paramref name="valueOffset"/>.</summary>
    private static int IndexOf(string source, YamlScalar scalar, int valueOffset)
    {
        var value = scalar.Value;
        var raw = scalar.StartIndex;
        var end = Math.Min(scalar.EndIndex, source.Length);
        // Block scalars start with their indicator line (| or >); quoted ones with the quote.
        if (scalar.Style is YamlDotNet.Core.ScalarStyle.Literal or YamlDotNet.Core.ScalarStyle.Folded)
        {
            while (raw < end && source[raw] != '\n') raw++;
        }
        else if (scalar.Style is YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted)
        {
            raw++;
        }
        // Walk value and source together: every value character appears in the source in order
        // (folding turns a line break into a space, escapes take more source characters).
        for (var i = 0; i < valueOffset && i < value.Length; i++)
        {
            var c = value[i];
            var found = raw;
            while (found < end && !Matches(source[found], c)) found++;
            if (found >= end) break;
            raw = found + 1;
        }
        if (valueOffset < value.Length)
        {
            var c = value[valueOffset];
            while (raw < end && !Matches(source[raw], c)) raw++;
        }
        return Math.Min(raw, source.Length);
    }

    private static bool Matches(char sourceChar, char valueChar) =>
        sourceChar == valueChar || (valueChar == ' ' && sourceChar == '\n');
}
