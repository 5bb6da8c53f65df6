using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace BaiQianWan.Assess.Rules.Data;

/// <summary>
/// The one pattern for identifiers and the rule for text, wherever they are read (ruleset YAML, units and
/// observations files) — documented in docs/rules.md and docs/operators.md:
/// <list type="bullet">
/// <item><b>Codes</b> (unit codes, ruleset ids): <c>[0-9A-Za-z_-]{1,32}</c>.</item>
/// <item><b>Keys</b> (class names, dimension, indicator and adjustment ids, grade names): 1–32 printable
/// characters, no <c>/</c> or <c>\</c>, no space at either end, not <c>.</c> or <c>..</c> (they become file names
/// and URL segments).</item>
/// <item><b>Names</b>: any printable Unicode, at most 200 characters.</item>
/// </list>
/// Printable means no control characters (C0, C1), no format characters (bidirectional overrides, zero-width),
/// no line or paragraph separators and no unpaired surrogates: nothing that can forge a line of a log, audit or
/// table, or show other text than it holds.
/// </summary>
public static partial class TextRules
{
    /// <summary>The pattern of codes, as documented.</summary>
    public const string CodePattern = "[0-9A-Za-z_-]{1,32}";

    /// <summary>Most characters of a key.</summary>
    public const int MaxKeyLength = 32;

    /// <summary>Most characters of a name.</summary>
    public const int MaxNameLength = 200;

    /// <summary>True for a unit code or ruleset id.</summary>
    public static bool IsCode(string? text) => text is not null && Code().IsMatch(text);

    /// <summary>True for a class name or item id.</summary>
    public static bool IsKey(string? text) =>
        text is { Length: > 0 and <= MaxKeyLength } && IsPrintable(text) && text.Trim().Length == text.Length
        && text.IndexOfAny(['/', '\\']) < 0 && text is not ("." or "..");

    /// <summary>True for a name: printable and at most <see cref="MaxNameLength"/> characters.</summary>
    public static bool IsName(string? text) => text is { Length: <= MaxNameLength } && IsPrintable(text);

    /// <summary>True when the text has no control, format or separator character and no unpaired surrogate.</summary>
    public static bool IsPrintable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (!IsPrintable(c)) return false;
        }
        return true;
    }

    /// <summary>
    /// The text with every non-printable character written as an escape (<c>\r</c>, <c>\n</c>, <c>\t</c>,
    /// otherwise <c>\u202E</c>), for one line of a table, log or audit listing.
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text) || IsPrintable(text)) return text ?? "";
        var sb = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(c).Append(text[++i]);
                continue;
            }
            if (IsPrintable(c))
            {
                sb.Append(c);
                continue;
            }
            sb.Append(c switch
            {
                '\r' => "\\r",
                '\n' => "\\n",
                '\t' => "\\t",
                _ => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
            });
        }
        return sb.ToString();
    }

    /// <summary>
    /// A message with no space between two Chinese characters (or a Chinese character and full-width punctuation):
    /// templates put a space around every inserted word, which is right next to Latin text and numbers
    /// (<c>权重 10</c>, <c>grades 中</c>) and wrong between Chinese words (<c>维度中未知的键</c>, <c>权重必须大于 0</c>).
    /// Text quoted with <c>'…'</c> (a value as the user wrote it) is left exactly as it is.
    /// </summary>
    public static string TidySpaces(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!message.Contains(' ', StringComparison.Ordinal)) return message;
        var sb = new StringBuilder(message.Length);
        var quoted = false;
        for (var i = 0; i < message.Length; i++)
        {
            var c = message[i];
            if (c == '\'') quoted = !quoted;
            if (c == ' ' && !quoted && i > 0 && i + 1 < message.Length && IsWide(message[i - 1]) && IsWide(message[i + 1])) continue;
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Chinese characters and full-width punctuation (between which Chinese text takes no space).</summary>
    public static bool IsWide(char c) =>
        c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\u3000' and <= '\u303F' or >= '\uFF00' and <= '\uFFEF'
            or '“' or '”' or '‘' or '’' or '…' or '—';

    private static bool IsPrintable(char c) => char.GetUnicodeCategory(c) is not (UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate);

    [GeneratedRegex("^" + CodePattern + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex Code();
}
