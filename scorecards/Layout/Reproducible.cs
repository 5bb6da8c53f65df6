using System.Security.Cryptography;
using System.Text;

namespace BaiQianWan.Assess.Scorecards.Layout;

/// <summary>
/// PDFsharp writes two kinds of random text into every file: six letters tagging each embedded font subset
/// (<c>/ABCDEF+Name</c>, from a new GUID) and the XMP metadata's <c>uuid:</c> document and instance ids.
/// Both only have to be distinct, so they are replaced, in place and at the same length (the cross-reference
/// offsets and stream lengths stay valid), by text derived from the document's key.
/// </summary>
/// <remarks>Scans the bytes directly: a string copy of a PDF would be a large-object allocation per document.</remarks>
internal static class Reproducible
{
    private static readonly byte[] Uuid = "uuid:"u8.ToArray();

    public static void Fix(byte[] pdf, string documentKey)
    {
        var replacements = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var span = pdf.AsSpan();
        for (var i = 0; i < span.Length - 8; i++)
        {
            var b = span[i];
            if (b == '/' && IsTag(span, i + 1))
                Replace(span.Slice(i + 1, 6), replacements, documentKey, tag: true);
            else if (b == 'u' && span[i..].StartsWith(Uuid) && i + 5 + 36 <= span.Length && IsUuid(span.Slice(i + 5, 36)))
                Replace(span.Slice(i + 5, 36), replacements, documentKey, tag: false);
        }
    }

    private static bool IsTag(ReadOnlySpan<byte> s, int at)
    {
        if (at + 7 > s.Length || s[at + 6] != '+') return false;
        for (var k = 0; k < 6; k++)
            if (s[at + k] is < (byte)'A' or > (byte)'Z') return false;
        return true;
    }

    private static bool IsUuid(ReadOnlySpan<byte> s)
    {
        for (var k = 0; k < 36; k++)
        {
            var c = s[k];
            if (k is 8 or 13 or 18 or 23 ? c != '-' : !(c is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f')) return false;
        }
        return true;
    }

    private static void Replace(Span<byte> target, Dictionary<string, byte[]> replacements, string documentKey, bool tag)
    {
        var random = Encoding.ASCII.GetString(target);
        if (!replacements.TryGetValue(random, out var fixedBytes))
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{documentKey}\n{replacements.Count}"));
            if (tag)
            {
                fixedBytes = new byte[6];
                for (var k = 0; k < 6; k++) fixedBytes[k] = (byte)('A' + hash[k] % 26);
            }
            else fixedBytes = Encoding.ASCII.GetBytes(new Guid(hash.AsSpan(0, 16)).ToString("D"));
            replacements[random] = fixedBytes;
        }
        fixedBytes.CopyTo(target);
    }
}
