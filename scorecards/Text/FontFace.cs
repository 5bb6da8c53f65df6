using System.Buffers.Binary;

namespace BaiQianWan.Assess.Scorecards.Text;

/// <summary>
/// A TrueType face's bytes with what layout needs from them: which code points it maps and their advance
/// widths. Read here rather than through PDFsharp so measuring is cheap, thread-safe and exactly what is drawn.
/// </summary>
internal sealed class FontFace
{
    private readonly Dictionary<int, ushort> _glyphs = new();
    private readonly ushort[] _advances;

    public FontFace(string name, byte[] bytes)
    {
        Name = name;
        Bytes = bytes;
        var tables = Tables(bytes);
        var head = tables["head"];
        UnitsPerEm = U16(bytes, head + 18);
        var hhea = tables["hhea"];
        Ascent = (short)U16(bytes, hhea + 4) / (double)UnitsPerEm;
        Descent = -(short)U16(bytes, hhea + 6) / (double)UnitsPerEm;
        var metrics = U16(bytes, hhea + 34);
        var hmtx = tables["hmtx"];
        _advances = new ushort[metrics];
        for (var i = 0; i < metrics; i++) _advances[i] = U16(bytes, hmtx + 4 * i);
        ReadCmap(bytes, tables["cmap"]);
    }

    /// <summary>The family name the font resolver serves this face under.</summary>
    public string Name { get; }

    public byte[] Bytes { get; }

    public int UnitsPerEm { get; }

    /// <summary>Ascent above the baseline, in ems.</summary>
    public double Ascent { get; }

    /// <summary>Descent below the baseline, in ems (positive).</summary>
    public double Descent { get; }

    public bool Has(int codePoint) => _glyphs.ContainsKey(codePoint);

    /// <summary>Advance width in ems (0 for a code point the face lacks).</summary>
    public double Advance(int codePoint)
    {
        if (!_glyphs.TryGetValue(codePoint, out var glyph)) return 0;
        var a = glyph < _advances.Length ? _advances[glyph] : _advances[^1];
        return a / (double)UnitsPerEm;
    }

    private static Dictionary<string, int> Tables(byte[] b)
    {
        var count = U16(b, 4);
        var tables = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var rec = 12 + 16 * i;
            var tag = System.Text.Encoding.ASCII.GetString(b, rec, 4);
            tables[tag] = (int)U32(b, rec + 8);
        }
        return tables;
    }

    private void ReadCmap(byte[] b, int cmap)
    {
        var count = U16(b, cmap + 2);
        int format4 = -1, format12 = -1;
        for (var i = 0; i < count; i++)
        {
            var rec = cmap + 4 + 8 * i;
            var platform = U16(b, rec);
            var encoding = U16(b, rec + 2);
            var offset = cmap + (int)U32(b, rec + 4);
            var format = U16(b, offset);
            if (platform == 3 && encoding == 10 && format == 12) format12 = offset;
            else if (platform == 3 && encoding == 1 && format == 4) format4 = offset;
            else if (platform == 0 && format == 12 && format12 < 0) format12 = offset;
            else if (platform == 0 && format == 4 && format4 < 0) format4 = offset;
        }
        if (format12 >= 0) ReadFormat12(b, format12);
        else if (format4 >= 0) ReadFormat4(b, format4);
        else throw new InvalidDataException($"字体 {Name} 没有 Unicode 字符映射表（cmap 格式 4 或 12）");
    }

    private void ReadFormat4(byte[] b, int t)
    {
        var segments = U16(b, t + 6) / 2;
        var ends = t + 14;
        var starts = ends + 2 * segments + 2;
        var deltas = starts + 2 * segments;
        var offsets = deltas + 2 * segments;
        for (var s = 0; s < segments; s++)
        {
            int end = U16(b, ends + 2 * s), start = U16(b, starts + 2 * s);
            var delta = (short)U16(b, deltas + 2 * s);
            var rangeOffset = U16(b, offsets + 2 * s);
            for (var c = start; c <= end && c != 0xFFFF; c++)
            {
                int glyph;
                if (rangeOffset == 0) glyph = (c + delta) & 0xFFFF;
                else
                {
                    var at = offsets + 2 * s + rangeOffset + 2 * (c - start);
                    glyph = U16(b, at);
                    if (glyph != 0) glyph = (glyph + delta) & 0xFFFF;
                }
                if (glyph != 0) _glyphs[c] = (ushort)glyph;
            }
        }
    }

    private void ReadFormat12(byte[] b, int t)
    {
        var groups = (int)U32(b, t + 12);
        for (var g = 0; g < groups; g++)
        {
            var rec = t + 16 + 12 * g;
            var start = (int)U32(b, rec);
            var end = (int)U32(b, rec + 4);
            var glyph = (int)U32(b, rec + 8);
            for (var c = start; c <= end; c++, glyph++)
                if (glyph != 0) _glyphs[c] = (ushort)glyph;
        }
    }

    private static ushort U16(byte[] b, int at) => BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(at));

    private static uint U32(byte[] b, int at) => BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(at));
}
