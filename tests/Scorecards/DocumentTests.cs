using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Scorecards;

namespace BaiQianWan.Assess.Tests.Scorecards;

/// <summary>What holds for every document: same bytes for the same inputs, an embedded font subset, no dropped character.</summary>
[Trait("Cost", "Slow")]
public sealed class DocumentTests(ProvinceResults province) : IClassFixture<ProvinceResults>
{
    private static readonly DocumentStamp Stamp = new("run-20251008-0001", new DateTimeOffset(2025, 10, 8, 1, 30, 0, TimeSpan.Zero), true);

    [Fact]
    public void The_same_results_render_to_the_same_bytes()
    {
        var unit = province.County.Units[7].Code;
        var first = ScorecardRenderer.RenderScorecard(province.County, unit, Stamp, province.CountyPrevious);
        var second = ScorecardRenderer.RenderScorecard(province.County, unit, Stamp, province.CountyPrevious);
        Assert.Equal(first.Pdf, second.Pdf);
        var bulletin = ScorecardRenderer.RenderBulletin(province.Town, province.Town.Ruleset.Classes[0], Stamp);
        Assert.Equal(bulletin.Pdf, ScorecardRenderer.RenderBulletin(province.Town, province.Town.Ruleset.Classes[0], Stamp).Pdf);
    }

    [Fact]
    public void Renders_in_parallel_give_the_same_bytes_as_one_at_a_time()
    {
        var codes = province.Town.Units.Take(24).Select(u => u.Code).ToArray();
        var serial = codes.Select(c => ScorecardRenderer.RenderScorecard(province.Town, c, Stamp).Pdf).ToArray();
        var parallel = new byte[codes.Length][];
        Parallel.For(0, codes.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i => parallel[i] = ScorecardRenderer.RenderScorecard(province.Town, codes[i], Stamp).Pdf);
        for (var i = 0; i < codes.Length; i++) Assert.Equal(serial[i], parallel[i]);
    }

    [Fact]
    public void The_id_and_dates_come_from_the_run_not_the_clock()
    {
        var unit = province.County.Units[0].Code;
        var doc = ScorecardRenderer.RenderScorecard(province.County, unit, Stamp);
        var info = Pdf.Info(doc.Pdf);
        Assert.Contains("CreationDate:    Wed Oct  8 01:30:00 2025 UTC", info);
        var other = ScorecardRenderer.RenderScorecard(province.County, unit, Stamp with { RunId = "run-20251008-0002" });
        Assert.NotEqual(doc.Pdf, other.Pdf);
        // A run without a time still renders the same bytes twice.
        var undated = Stamp with { At = null };
        Assert.Equal(ScorecardRenderer.RenderScorecard(province.County, unit, undated).Pdf,
            ScorecardRenderer.RenderScorecard(province.County, unit, undated).Pdf);
    }

    [Fact]
    public void Results_read_back_from_json_render_the_same_bytes()
    {
        var unit = province.Town.Units[3].Code;
        var again = ResultsJson.Read(ResultsJson.Serialize(province.Town));
        Assert.Equal(ScorecardRenderer.RenderScorecard(province.Town, unit, Stamp).Pdf,
            ScorecardRenderer.RenderScorecard(again, unit, Stamp).Pdf);
    }

    [Fact]
    public void The_font_is_embedded_as_a_subset_and_the_chinese_reads_back()
    {
        var unit = province.Town.Units[0];
        var doc = ScorecardRenderer.RenderScorecard(province.Town, unit.Code, Stamp);
        var fonts = Pdf.Fonts(doc.Pdf).Split('\n').Where(l => l.Contains("WenQuanYi", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(fonts);
        // name type encoding emb sub uni: embedded, subset, with a ToUnicode map.
        Assert.All(fonts, l => Assert.Matches(@"CID TrueType\s+Identity-H\s+yes\s+yes\s+yes", l));
        Assert.Contains(unit.Name, Pdf.Text(doc.Pdf));
        // Only the common face is needed for the sample data; a subset, not the 1.3 MB face.
        Assert.Single(Pdf.Fonts(doc.Pdf).Split('\n'), l => l.Contains("WenQuanYi", StringComparison.Ordinal));
        Assert.InRange(doc.Pdf.Length, 10_000, 400_000);
    }

    [Fact]
    public void The_whole_sample_province_renders_with_no_character_missing()
    {
        var missing = province.County.Units.SelectMany(u => ScorecardRenderer.RenderScorecard(province.County, u.Code, Stamp).Missing)
            .Concat(province.County.Ruleset.Classes.SelectMany(c => ScorecardRenderer.RenderBulletin(province.County, c, Stamp).Missing))
            .Concat(province.Town.Ruleset.Classes.SelectMany(c => ScorecardRenderer.RenderBulletin(province.Town, c, Stamp).Missing));
        Assert.Empty(missing);
    }

    [Fact]
    public void A_name_with_rare_characters_uses_the_fallback_face_and_reports_what_no_face_has()
    {
        // 乸 (U+4E78, a Cantonese character) is outside the common face but in the full WenQuanYi face;
        // 䶮 (U+4DAE, CJK Extension A) is not in WenQuanYi Micro Hei but is in Droid Sans Fallback;
        // 𡌶 (U+21336, Extension B) is in neither: drawn as □ and reported.
        const string name = "乸䶮𡌶村";
        var result = Small.Evaluate(Small.Ruleset(3), [("A", name), ("B", "乙县")], Small.Rows("A", 3, _ => 100) + "\n" + Small.Rows("B", 3, _ => 90));
        var doc = ScorecardRenderer.RenderScorecard(result, "A", Small.Stamp);
        var text = Pdf.Text(doc.Pdf);
        Assert.Contains("乸䶮□村", text);
        Assert.DoesNotContain("𡌶", text);
        Assert.Equal(0x21336, Assert.Single(doc.Missing.Select(m => m.CodePoint).Distinct()));
        Assert.All(doc.Missing, m => Assert.Contains(name, m.Context));
        var fonts = Pdf.Fonts(doc.Pdf).Split('\n');
        Assert.Contains(fonts, l => l.Contains("Droid Sans Fallback", StringComparison.Ordinal));
        Assert.Contains(fonts, l => l.Contains("+WenQuanYi Micro Hei ", StringComparison.Ordinal));
        Assert.Contains(fonts, l => l.Contains("+WenQuanYi Micro Hei Common", StringComparison.Ordinal));
        // The bulletin reports it too.
        var bulletin = ScorecardRenderer.RenderBulletin(result, "创先", Small.Stamp);
        Assert.Contains(bulletin.Missing, m => m.CodePoint == 0x21336);
        Assert.Contains("乸䶮□村", Pdf.Text(bulletin.Pdf));
    }
}
