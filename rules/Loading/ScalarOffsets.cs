using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>
/// Maps an offset inside a scalar's parsed value back to a line and column in the YAML source, so a
/// formula error points at the exact character, whether the formula is plain, quoted or a block scalar.
/// </summary>
internal static class ScalarOffsets
{
    public static SourcePosition Locate(string source, YamlScalar scalar, int valueOffset)
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
        return PositionOf(source, Math.Min(raw, source.Length));
    }

    private static bool Matches(char sourceChar, char valueChar) =>
        sourceChar == valueChar || (valueChar == ' ' && sourceChar == '\n');

    private static SourcePosition PositionOf(string source, int index)
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
}
