using System.Buffers.Binary;
using System.Text;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Filters;

namespace BaiQianWan.Assess.Scorecards.Layout;

/// <summary>
/// Makes the embedded font subsets of a saved PDF smaller without changing a drawn glyph.
/// </summary>
/// <remarks>
/// PDFsharp embeds a CID font subset that keeps the face's glyph ids (CID = glyph id), so it copies the face's whole
/// <c>hmtx</c> table: an advance width and a left side bearing for each of WenQuanYi's 26,109 glyphs, where a
/// scorecard draws about 500. The side bearings vary glyph by glyph, so the table deflated to ~24 KB, 45 % of a town
/// scorecard's font stream (53.5 KB of a 67 KB file; the outlines of the glyphs drawn are the other ~26 KB).
/// A glyph the subset leaves out has no outline (an empty <c>loca</c> range) and its side bearing (by definition the
/// outline's left edge) means nothing; setting those to 0 lets the table deflate to ~2.7 KB. Advance widths are kept
/// (readers place glyphs by the PDF's <c>/W</c> widths anyway); the outlines, every other table and the metrics of
/// every glyph with an outline are unchanged, and the table's checksum and the face's <c>checkSumAdjustment</c> are
/// set right. The font is then deflated with PDFsharp's own encoder (deterministic, no native zlib), once: the renderer
/// has PDFsharp write font programs uncompressed (<c>NoCompression</c>; content streams are compressed all the same),
/// since deflating the whole table in PDFsharp only to inflate it here would double the work.
/// The stream's dictionary and the cross-reference offsets after it are rewritten.
/// Reads only what PDFsharp writes: a classic cross-reference table of one section and font file streams written as
/// <c>&lt;&lt;/Length1 n/Length n&gt;&gt;</c> or <c>&lt;&lt;/Length1 n/Filter/FlateDecode/Length m&gt;&gt;</c>; a file
/// of any other shape is returned as it is (and a test bounds a scorecard's size, so that would not go unseen).
/// </remarks>
internal static class FontSubsets
{
    private static readonly byte[] StartXref = "startxref"u8.ToArray();
    private static readonly byte[] StreamKeyword = ">>\nstream\n"u8.ToArray();

    /// <summary>The PDF with every embedded TrueType subset trimmed (a new array), or the same array if there is none.</summary>
    public static byte[] Trim(byte[] pdf, PdfFlateEncodeMode mode)
    {
        if (!TryReadXref(pdf, out var xrefAt, out var offsets)) return pdf;
        var edits = new List<(int Start, int End, byte[] With)>();
        foreach (var at in offsets)
            if (at >= 0 && TrimmedFontStream(pdf, at, mode) is { } edit) edits.Add(edit);
        if (edits.Count == 0) return pdf;
        edits.Sort((a, b) => a.Start.CompareTo(b.Start));

        int Moved(int position)
        {
            var shift = 0;
            foreach (var e in edits)
                if (e.End <= position) shift += e.With.Length - (e.End - e.Start);
            return position + shift;
        }

        using var output = new MemoryStream(pdf.Length);
        var from = 0;
        foreach (var e in edits)
        {
            output.Write(pdf, from, e.Start - from);
            output.Write(e.With);
            from = e.End;
        }
        // Up to the cross-reference table, unchanged.
        output.Write(pdf, from, xrefAt - from);
        var newXrefAt = checked((int)output.Position);
        var table = pdf.AsSpan(xrefAt).ToArray();
        var firstEntry = table.AsSpan().IndexOf((byte)'\n') + 1;
        firstEntry += table.AsSpan(firstEntry).IndexOf((byte)'\n') + 1;
        for (var i = 0; i < offsets.Length; i++)
        {
            if (offsets[i] < 0) continue;
            Encoding.ASCII.GetBytes(Moved(offsets[i]).ToString("D10", System.Globalization.CultureInfo.InvariantCulture))
                .CopyTo(table, firstEntry + 20 * i);
        }
        // The table and trailer, then startxref's number replaced.
        var startxref = table.AsSpan().LastIndexOf(StartXref);
        output.Write(table, 0, startxref + StartXref.Length + 1);
        var numberEnd = startxref + StartXref.Length + 1;
        while (numberEnd < table.Length && table[numberEnd] is >= (byte)'0' and <= (byte)'9') numberEnd++;
        output.Write(Encoding.ASCII.GetBytes(newXrefAt.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        output.Write(table, numberEnd, table.Length - numberEnd);
        return output.ToArray();
    }

    /// <summary>
    /// The cross-reference table's position and each entry's object offset (-1 for a free entry), if the file ends with
    /// one classic table of one section (<c>xref\n0 N\n</c> and N entries of 20 bytes), as PDFsharp writes a new file.
    /// </summary>
    private static bool TryReadXref(byte[] pdf, out int xrefAt, out int[] offsets)
    {
        xrefAt = 0;
        offsets = [];
        var span = pdf.AsSpan();
        var startxref = span.LastIndexOf(StartXref);
        if (startxref < 0) return false;
        var p = startxref + StartXref.Length;
        if (p >= span.Length || span[p++] != '\n') return false;
        if (!TryNumber(span, ref p, out xrefAt) || xrefAt <= 0 || xrefAt >= startxref) return false;
        var q = xrefAt;
        if (!span[q..].StartsWith("xref\n"u8)) return false;
        q += 5;
        if (!TryNumber(span, ref q, out var first) || first != 0 || span[q++] != ' ') return false;
        if (!TryNumber(span, ref q, out var count) || span[q++] != '\n') return false;
        if (q + 20L * count > startxref) return false;
        offsets = new int[count];
        for (var i = 0; i < count; i++)
        {
            var entry = span.Slice(q + 20 * i, 20);
            if (entry[10] != ' ' || entry[16] != ' ' || entry[19] != '\n') return false;
            var at = 0;
            if (!TryNumber(entry, ref at, out var offset) || at != 10) return false;
            offsets[i] = entry[17] == 'n' ? offset : -1;
        }
        return true;
    }

    private static bool TryNumber(ReadOnlySpan<byte> span, ref int p, out int value)
    {
        value = 0;
        var start = p;
        while (p < span.Length && span[p] is >= (byte)'0' and <= (byte)'9')
        {
            value = checked(value * 10 + (span[p] - '0'));
            p++;
        }
        return p > start;
    }

    /// <summary>
    /// The edit that replaces a font file stream (dictionary and data) if the object at <paramref name="at"/> is one,
    /// written by PDFsharp as <c>&lt;&lt;/Length1 n/Length n&gt;&gt;</c> (the document's <c>NoCompression</c>) or
    /// <c>&lt;&lt;/Length1 n/Filter/FlateDecode/Length m&gt;&gt;</c>: the trimmed font, deflated. Null for any other
    /// object, and for a deflated stream that trimming does not change.
    /// </summary>
    private static (int Start, int End, byte[] With)? TrimmedFontStream(byte[] pdf, int at, PdfFlateEncodeMode mode)
    {
        var span = pdf.AsSpan();
        var head = span[at..Math.Min(span.Length, at + 200)];
        var open = head.IndexOf("obj\n<<"u8);
        if (open < 0) return null;
        var dictAt = at + open + 4;
        var p = dictAt;
        if (!Expect(span, ref p, "<</Length1 "u8) || !TryNumber(span, ref p, out var fontLength)) return null;
        var deflated = Expect(span, ref p, "/Filter/FlateDecode"u8);
        if (!Expect(span, ref p, "/Length "u8) || !TryNumber(span, ref p, out var length)) return null;
        if (!Expect(span, ref p, StreamKeyword)) return null;
        var dataAt = p;
        if (dataAt + (long)length > span.Length || !span[(dataAt + length)..].StartsWith("\nendstream"u8)) return null;
        if (!deflated && length != fontLength) return null;

        var data = span.Slice(dataAt, length).ToArray();
        var font = deflated ? Filtering.FlateDecode.Decode(data, (FilterParms?)null) : data;
        if (!TrueTypeSubset.ClearUnusedSideBearings(font) && deflated) return null;
        var encoded = Filtering.FlateDecode.Encode(font, mode);

        using var with = new MemoryStream(encoded.Length + 64);
        with.Write(Encoding.ASCII.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"<</Length1 {font.Length}/Filter/FlateDecode/Length {encoded.Length}>>\nstream\n")));
        with.Write(encoded);
        return (dictAt, dataAt + length, with.ToArray());
    }

    private static bool Expect(ReadOnlySpan<byte> span, ref int p, ReadOnlySpan<byte> text)
    {
        if (!span[p..].StartsWith(text)) return false;
        p += text.Length;
        return true;
    }
}

/// <summary>The TrueType side of <see cref="FontSubsets"/>: a glyf-outline font's table directory, read and patched in place.</summary>
internal static class TrueTypeSubset
{
    /// <summary>
    /// Sets to 0 the left side bearing of every glyph without an outline and fixes the checksums; false (font untouched)
    /// if the font is not a TrueType font with head, maxp, hhea, hmtx and loca tables of consistent sizes, or nothing changed.
    /// </summary>
    public static bool ClearUnusedSideBearings(byte[] font)
    {
        if (font.Length < 12 || BinaryPrimitives.ReadUInt32BigEndian(font) != 0x00010000) return false;
        var tables = BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(4));
        if (12 + 16 * tables > font.Length) return false;
        int headAt = -1, maxp = -1, hhea = -1, hmtx = -1, loca = -1, hmtxEntry = -1, hmtxLength = 0, locaLength = 0;
        for (var i = 0; i < tables; i++)
        {
            var entry = font.AsSpan(12 + 16 * i, 16);
            var offset = (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32BigEndian(entry[8..]));
            var length = (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32BigEndian(entry[12..]));
            if ((long)offset + length > font.Length) return false;
            switch (Encoding.ASCII.GetString(entry[..4]))
            {
                case "head" when length >= 54: headAt = offset; break;
                case "maxp" when length >= 6: maxp = offset; break;
                case "hhea" when length >= 36: hhea = offset; break;
                case "hmtx": hmtx = offset; hmtxLength = length; hmtxEntry = 12 + 16 * i; break;
                case "loca": loca = offset; locaLength = length; break;
            }
        }
        if (headAt < 0 || maxp < 0 || hhea < 0 || hmtx < 0 || loca < 0) return false;
        var glyphs = BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(maxp + 4));
        var metrics = BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(hhea + 34));
        var longOffsets = BinaryPrimitives.ReadInt16BigEndian(font.AsSpan(headAt + 50)) == 1;
        if (metrics == 0 || metrics > glyphs) return false;
        if (locaLength < (glyphs + 1) * (longOffsets ? 4 : 2)) return false;
        if (hmtxLength < 4 * metrics + 2 * (glyphs - metrics)) return false;

        uint Location(int glyph) => longOffsets
            ? BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(loca + 4 * glyph))
            : 2u * BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(loca + 2 * glyph));

        var changed = false;
        var next = Location(0);
        for (var g = 0; g < glyphs; g++)
        {
            var here = next;
            next = Location(g + 1);
            if (next != here) continue; // an outline: its metrics stay
            var bearing = g < metrics ? hmtx + 4 * g + 2 : hmtx + 4 * metrics + 2 * (g - metrics);
            if (font[bearing] == 0 && font[bearing + 1] == 0) continue;
            font[bearing] = 0;
            font[bearing + 1] = 0;
            changed = true;
        }
        if (!changed) return false;

        BinaryPrimitives.WriteUInt32BigEndian(font.AsSpan(hmtxEntry + 4), Checksum(font.AsSpan(hmtx, hmtxLength)));
        // checkSumAdjustment: 0xB1B0AFBA minus the checksum of the whole font taken with the adjustment at 0.
        BinaryPrimitives.WriteUInt32BigEndian(font.AsSpan(headAt + 8), 0);
        BinaryPrimitives.WriteUInt32BigEndian(font.AsSpan(headAt + 8), unchecked(0xB1B0AFBAu - Checksum(font)));
        return true;
    }

    /// <summary>The OpenType table checksum: the sum of big-endian 32-bit words, the last one padded with zeros.</summary>
    public static uint Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        var i = 0;
        for (; i + 4 <= data.Length; i += 4) sum = unchecked(sum + BinaryPrimitives.ReadUInt32BigEndian(data[i..]));
        if (i < data.Length)
        {
            Span<byte> last = stackalloc byte[4];
            last.Clear();
            data[i..].CopyTo(last);
            sum = unchecked(sum + BinaryPrimitives.ReadUInt32BigEndian(last));
        }
        return sum;
    }
}
