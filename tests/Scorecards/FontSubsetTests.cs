using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using BaiQianWan.Assess.Scorecards;
using BaiQianWan.Assess.Scorecards.Layout;
using BaiQianWan.Assess.Tests.Store;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace BaiQianWan.Assess.Tests.Scorecards;

/// <summary>
/// The embedded font subsets are trimmed (every glyph not drawn loses its left side bearing, so the face-sized metrics
/// table deflates to almost nothing) and nothing a reader sees changes. The font is read back here with a parser of
/// its own (System.IO.Compression and the OpenType table layout), and compared with the face files in scorecards/Fonts.
/// </summary>
[Trait("Cost", "Slow")]
public sealed class FontSubsetTests(ProvinceResults province) : IClassFixture<ProvinceResults>
{
    private static readonly DocumentStamp Stamp = new("run-20251008-0001", new DateTimeOffset(2025, 10, 8, 1, 30, 0, TimeSpan.Zero), true);

    // Measured in the demo's 2025Q3 export: town scorecards 43,742–49,544 bytes (64,977–81,106 before the trim), county
    // scorecards 47,838–51,817 (69,094–72,810), the 中心镇 bulletin 58,764 (91,097). The bounds leave room for longer names
    // or a line more, not for a face's metrics table again (+20 KB or more a font).
    private const int TownScorecardBound = 56_000;
    private const int CountyScorecardBound = 60_000;
    private const int BulletinBound = 70_000;

    [Fact]
    public void Scorecards_and_bulletins_stay_within_their_size_bounds_and_their_text_reads_back()
    {
        foreach (var unit in province.Town.Units.Take(12))
        {
            var pdf = ScorecardRenderer.RenderScorecard(province.Town, unit.Code, Stamp).Pdf;
            Assert.True(pdf.Length <= TownScorecardBound, $"town scorecard {unit.Code}: {pdf.Length:N0} bytes > {TownScorecardBound:N0}");
            var text = Pdf.Flat(Pdf.Text(pdf));
            Assert.Contains(unit.Name, text);
            Assert.Contains("代码" + unit.Code, text);
            Assert.Contains("2025年第三季度（1—9月累计）", text);
        }
        foreach (var unit in province.County.Units.Take(6))
        {
            var pdf = ScorecardRenderer.RenderScorecard(province.County, unit.Code, Stamp, province.CountyPrevious).Pdf;
            Assert.True(pdf.Length <= CountyScorecardBound, $"county scorecard {unit.Code}: {pdf.Length:N0} bytes > {CountyScorecardBound:N0}");
            Assert.Contains(unit.Name, Pdf.Flat(Pdf.Text(pdf)));
        }
        var cls = province.Town.Ruleset.Classes[0];
        var bulletin = ScorecardRenderer.RenderBulletin(province.Town, cls, Stamp).Pdf;
        Assert.True(bulletin.Length <= BulletinBound, $"town bulletin {cls}: {bulletin.Length:N0} bytes > {BulletinBound:N0}");
        var bulletinText = Pdf.Flat(Pdf.Text(bulletin));
        Assert.Contains(province.Town.Units.First(u => u.Class == cls).Name, bulletinText);
    }

    [Fact]
    public void A_scorecards_subset_keeps_every_drawn_glyph_and_its_metrics_exactly_as_the_face_has_them()
    {
        var unit = province.Town.Units[0];
        var pdf = ScorecardRenderer.RenderScorecard(province.Town, unit.Code, Stamp).Pdf;
        var face = OpenTypeFile.Read(FaceFile("wqy-microhei-common.ttf"));
        var subset = OpenTypeFile.Read(Assert.Single(FontPrograms(pdf)));
        var drawn = AssertSubsetOf(face, subset);
        // A town scorecard draws a few hundred distinct glyphs; of 26,109 in the face.
        Assert.InRange(drawn, 300, 1_000);
        Assert.Equal(26_109, face.GlyphCount);
    }

    [Fact]
    public void A_document_with_rare_characters_trims_all_three_faces_and_each_still_matches_its_face()
    {
        // 乸 is only in the full WenQuanYi face, 䶮 only in Droid Sans Fallback: three subsets, three streams rewritten.
        var result = Small.Evaluate(Small.Ruleset(3), [("A", "乸䶮村"), ("B", "乙县")], Small.Rows("A", 3, _ => 100) + "\n" + Small.Rows("B", 3, _ => 90));
        var pdf = ScorecardRenderer.RenderScorecard(result, "A", Small.Stamp).Pdf;
        var faces = new[] { "wqy-microhei-common.ttf", "wqy-microhei.ttf", "droid-fallback-extra.ttf" }
            .Select(f => OpenTypeFile.Read(FaceFile(f))).ToArray();
        var subsets = FontPrograms(pdf).Select(OpenTypeFile.Read).ToArray();
        Assert.Equal(3, subsets.Length);
        foreach (var subset in subsets)
        {
            var face = Assert.Single(faces, f => f.GlyphCount == subset.GlyphCount);
            Assert.True(AssertSubsetOf(face, subset) >= 2);
        }
        Assert.Contains("乸䶮村", Pdf.Flat(Pdf.Text(pdf)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Trimming_changes_no_pixel_and_no_character_of_the_text(bool fontsUncompressed)
    {
        // Drawn with PDFsharp directly, so that the untrimmed file exists to compare with: names of the sample province,
        // the renderer's headings, digits, Latin, full-width punctuation, ordinary and ideographic spaces.
        _ = BaiQianWan.Assess.Scorecards.Text.Fonts.Faces; // installs the font resolver
        var lines = new List<string>
        {
            "百千万工程考核评价记分卡　2025年第三季度（1—9月累计）",
            "得分 87.35 / 100　第2名 / 共182名　较上期 +1.25　一票否决　数据不全",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789 ，。：；（）【】「」—…％‰±×÷≤≥",
        };
        lines.AddRange(province.Town.Units.Take(40).Chunk(5).Select(c => string.Join(" ", c.Select(u => u.Name))));
        byte[] untrimmed;
        using (var document = new PdfDocument())
        {
            document.Options.CompressContentStreams = true;
            // As the renderer saves (font programs left for the trim to deflate), or PDFsharp's default (deflated).
            document.Options.NoCompression = fontsUncompressed;
            var page = document.AddPage();
            using (var g = XGraphics.FromPdfPage(page))
            {
                var font = new XFont(BaiQianWan.Assess.Scorecards.Text.Fonts.PrimaryName, 11);
                var bold = new XFont(BaiQianWan.Assess.Scorecards.Text.Fonts.PrimaryName, 11, XFontStyleEx.Bold);
                for (var i = 0; i < lines.Count; i++)
                    g.DrawString(lines[i], i % 4 == 0 ? bold : font, XBrushes.Black, 36, 48 + 18 * i);
            }
            using var stream = new MemoryStream();
            document.Save(stream, false);
            untrimmed = stream.ToArray();
        }

        var trimmed = FontSubsets.Trim(untrimmed, PdfFlateEncodeMode.Default);

        Assert.True(trimmed.Length < untrimmed.Length * (fontsUncompressed ? 1 : 3) / 4, $"{untrimmed.Length:N0} → {trimmed.Length:N0} bytes");
        Assert.Equal(OpenTypeFile.Read(Assert.Single(FontPrograms(untrimmed, fontsUncompressed))).GlyphCount,
            OpenTypeFile.Read(Assert.Single(FontPrograms(trimmed))).GlyphCount);
        var text = Pdf.Text(trimmed);
        Assert.Equal(Pdf.Text(untrimmed), text);
        Assert.Contains(province.Town.Units[39].Name, text);
        Assert.Matches(@"CID TrueType\s+Identity-H\s+yes\s+yes\s+yes", Pdf.Fonts(trimmed));
        // poppler draws the glyphs with FreeType from the embedded program (a font it could not load would be reported
        // on stderr, which Pdf fails on): the same pixels.
        Assert.Equal(Pdf.Png(untrimmed, 1, 150), Pdf.Png(trimmed, 1, 150));
        // And the words sit where they sat.
        Assert.Equal(Pdf.Words(untrimmed), Pdf.Words(trimmed));
    }

    /// <summary>
    /// Asserts what the trim promises of <paramref name="subset"/> against the <paramref name="face"/> it was cut from,
    /// and returns how many glyphs have an outline.
    /// </summary>
    private static int AssertSubsetOf(OpenTypeFile face, OpenTypeFile subset)
    {
        Assert.Equal(face.GlyphCount, subset.GlyphCount);
        Assert.Equal(face.MetricCount, subset.MetricCount);
        var drawn = 0;
        for (var g = 0; g < face.GlyphCount; g++)
        {
            // Every advance width is the face's.
            Assert.Equal(face.Advance(g), subset.Advance(g));
            var outline = subset.Outline(g);
            if (outline.Length > 0)
            {
                drawn++;
                Assert.True(outline.SequenceEqual(face.Outline(g)), $"glyph {g}: outline differs from the face's");
                Assert.Equal(face.SideBearing(g), subset.SideBearing(g));
            }
            else Assert.Equal(0, subset.SideBearing(g));
        }
        subset.AssertChecksums();
        return drawn;
    }

    private static byte[] FaceFile(string name) =>
        File.ReadAllBytes(Path.Combine(AzuriteFixture.RepositoryRoot(), "scorecards", "Fonts", name));

    /// <summary>The decompressed font programs (FontFile2 streams) of a PDF, found by their <c>/Length1</c>.</summary>
    internal static List<byte[]> FontPrograms(byte[] pdf, bool uncompressed = false)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var programs = new List<byte[]>();
        foreach (Match m in Regex.Matches(text, @"<<(/Length1 (\d+)[^>]*)>>\nstream\n"))
        {
            var length = int.Parse(Regex.Match(m.Groups[1].Value, @"/Length (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal("\nendstream", text.Substring(m.Index + m.Length + length, 10));
            if (uncompressed)
            {
                Assert.DoesNotContain("/Filter", m.Groups[1].Value);
                programs.Add(pdf.AsSpan(m.Index + m.Length, length).ToArray());
                continue;
            }
            Assert.Contains("/Filter/FlateDecode", m.Groups[1].Value);
            using var inflate = new ZLibStream(new MemoryStream(pdf, m.Index + m.Length, length), CompressionMode.Decompress);
            using var font = new MemoryStream();
            inflate.CopyTo(font);
            Assert.Equal(int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), (int)font.Length);
            programs.Add(font.ToArray());
        }
        return programs;
    }

    /// <summary>Just enough of an OpenType (glyf) font: the table directory, glyph count, metrics and outlines.</summary>
    internal sealed class OpenTypeFile
    {
        private readonly byte[] _bytes;
        private readonly Dictionary<string, (uint Checksum, int Offset, int Length)> _tables = [];

        private OpenTypeFile(byte[] bytes)
        {
            _bytes = bytes;
            int count = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(4));
            for (var i = 0; i < count; i++)
            {
                var e = bytes.AsSpan(12 + 16 * i, 16);
                _tables[Encoding.ASCII.GetString(e[..4])] = (BinaryPrimitives.ReadUInt32BigEndian(e[4..]),
                    (int)BinaryPrimitives.ReadUInt32BigEndian(e[8..]), (int)BinaryPrimitives.ReadUInt32BigEndian(e[12..]));
            }
            GlyphCount = U16(_tables["maxp"].Offset + 4);
            MetricCount = U16(_tables["hhea"].Offset + 34);
        }

        public static OpenTypeFile Read(byte[] bytes) => new(bytes);

        public int GlyphCount { get; }

        public int MetricCount { get; }

        public int Advance(int glyph) => U16(_tables["hmtx"].Offset + 4 * Math.Min(glyph, MetricCount - 1));

        public int SideBearing(int glyph) => (short)U16(glyph < MetricCount
            ? _tables["hmtx"].Offset + 4 * glyph + 2
            : _tables["hmtx"].Offset + 4 * MetricCount + 2 * (glyph - MetricCount));

        public ReadOnlySpan<byte> Outline(int glyph)
        {
            var longOffsets = U16(_tables["head"].Offset + 50) == 1;
            var loca = _tables["loca"].Offset;
            long At(int g) => longOffsets ? BinaryPrimitives.ReadUInt32BigEndian(_bytes.AsSpan(loca + 4 * g)) : 2L * U16(loca + 2 * g);
            var start = At(glyph);
            return _bytes.AsSpan((int)(_tables["glyf"].Offset + start), (int)(At(glyph + 1) - start));
        }

        /// <summary>Each table's checksum as its directory entry states it, and the whole font's (checkSumAdjustment).</summary>
        public void AssertChecksums()
        {
            foreach (var (tag, (checksum, offset, length)) in _tables)
            {
                var data = _bytes.AsSpan(offset, length).ToArray();
                if (tag == "head") Array.Clear(data, 8, 4);
                Assert.True(checksum == Sum(data), $"table {tag}: checksum {checksum:x8}, computed {Sum(data):x8}");
            }
            Assert.Equal(0xB1B0AFBAu, Sum(_bytes));
        }

        private static uint Sum(byte[] data)
        {
            var padded = new byte[(data.Length + 3) / 4 * 4];
            data.CopyTo(padded, 0);
            uint sum = 0;
            for (var i = 0; i < padded.Length; i += 4) sum = unchecked(sum + BinaryPrimitives.ReadUInt32BigEndian(padded.AsSpan(i)));
            return sum;
        }

        private int U16(int at) => BinaryPrimitives.ReadUInt16BigEndian(_bytes.AsSpan(at));
    }
}

/// <summary>What <see cref="FontSubsets.Trim"/> leaves alone: files of another shape, files without a font, its own output.</summary>
public sealed class FontSubsetTrimTests
{
    [Fact]
    public void Bytes_that_are_not_a_pdfsharp_file_come_back_as_they_are()
    {
        foreach (var bytes in new[] { ""u8.ToArray(), "not a pdf"u8.ToArray(), "%PDF-1.7\nstartxref\n999999\n%%EOF\n"u8.ToArray(), "%PDF-1.7\nxref\n0 1\nstartxref\n9\n%%EOF\n"u8.ToArray() })
            Assert.Same(bytes, FontSubsets.Trim(bytes, PdfFlateEncodeMode.Default));
    }

    [Fact]
    public void A_pdf_without_an_embedded_font_comes_back_as_it_is()
    {
        using var document = new PdfDocument();
        var page = document.AddPage();
        using (var g = XGraphics.FromPdfPage(page)) g.DrawRectangle(XBrushes.Black, 10, 10, 100, 50);
        using var stream = new MemoryStream();
        document.Save(stream, false);
        var pdf = stream.ToArray();
        Assert.Same(pdf, FontSubsets.Trim(pdf, PdfFlateEncodeMode.Default));
    }

    [Fact]
    public void A_rendered_scorecard_is_trimmed_already_and_a_second_trim_changes_nothing()
    {
        var result = Small.Evaluate(Small.Ruleset(3), [("A", "甲县"), ("B", "乙县")], Small.Rows("A", 3, _ => 100) + "\n" + Small.Rows("B", 3, _ => 90));
        var pdf = ScorecardRenderer.RenderScorecard(result, "A", Small.Stamp).Pdf;
        Assert.Same(pdf, FontSubsets.Trim(pdf, PdfFlateEncodeMode.Default));
        var subset = FontSubsetTests.OpenTypeFile.Read(Assert.Single(FontSubsetTests.FontPrograms(pdf)));
        // All but the glyphs drawn (and .notdef) have a side bearing of 0.
        var kept = Enumerable.Range(0, subset.GlyphCount).Count(g => subset.SideBearing(g) != 0);
        Assert.InRange(kept, 20, 400);
    }
}
