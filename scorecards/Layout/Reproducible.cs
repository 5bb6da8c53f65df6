using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace BaiQianWan.Assess.Scorecards.Layout;

/// <summary>
/// PDFsharp writes two kinds of random text into every file: six letters tagging each embedded font subset
/// (<c>/ABCDEF+Name</c>, from a new GUID) and the XMP metadata's <c>uuid:</c> document and instance ids.
/// Both only have to be distinct, so they are replaced, in place and at the same length (the cross-reference
/// offsets and stream lengths stay valid), by text derived from the document's key.
/// </summary>
internal static partial class Reproducible
{
    [GeneratedRegex(@"/([A-Z]{6})\+|uuid:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})", RegexOptions.CultureInvariant)]
    private static partial Regex RandomText();

    public static void Fix(byte[] pdf, string documentKey)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var replacements = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in RandomText().Matches(text))
        {
            var group = m.Groups[1].Success ? m.Groups[1] : m.Groups[2];
            var random = group.Value;
            if (!replacements.TryGetValue(random, out var fixedText))
            {
                var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{documentKey}\n{replacements.Count}"));
                if (random.Length == 6)
                {
                    var letters = new char[6];
                    for (var i = 0; i < 6; i++) letters[i] = (char)('A' + hash[i] % 26);
                    fixedText = new string(letters);
                }
                else fixedText = new Guid(hash.AsSpan(0, 16)).ToString("D");
                replacements[random] = fixedText;
            }
            Encoding.ASCII.GetBytes(fixedText, 0, fixedText.Length, pdf, group.Index);
        }
    }
}
