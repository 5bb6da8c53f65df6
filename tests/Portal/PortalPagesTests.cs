using BaiQianWan.Assess.Portal.Building;
using BaiQianWan.Assess.Portal.Models;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Store;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>The view models built for each page from the mini province, and who may see them.</summary>
public sealed class PortalPagesTests(MiniPortal mini) : IClassFixture<MiniPortal>
{
    private PortalPages Pages => mini.Pages;

    [Fact]
    public async Task A_unit_home_shows_its_latest_result_and_every_published_quarter()
    {
        var home = await Pages.UnitHomeAsync(MiniPortal.A1, MiniPortal.Frame(MiniPortal.A1), "A1");
        Assert.Equal("甲一县", home.Name);
        // Q3: A1 fai 60/50 → 72, rev 40/40 → 40: 112, first of two in 甲.
        Assert.Equal(Mini.Q3, home.Latest!.Period);
        Assert.Equal(112m, home.Latest.Total);
        Assert.Equal((1, 2), (home.Latest.Rank, home.Latest.Peers));
        Assert.Equal("好", home.Latest.Grade);
        // Trend oldest first: Q2 90.5 (2nd), Q3 112 (1st); the table newest first.
        Assert.Equal([("2025Q2", 90.5m, 2), ("2025Q3", 112m, 1)], home.Trend.Select(p => (p.Label, p.Total, p.Rank)));
        Assert.Equal([Mini.Q3, Mini.Q2], home.Quarters.Select(q => q.Period));
        Assert.Equal("/units/A1/scorecards/2025Q3/pdf", home.Latest.PdfUrl);
        Assert.Equal("/units/A1/bulletin/2025Q3", home.BulletinUrl);
        Assert.Equal("/units/A1/towns", home.TownsUrl);
    }

    [Theory]
    [InlineData("A1")] // an existing unit of the same class
    [InlineData("B1")] // another class
    [InlineData("T1")] // a town of another county
    [InlineData("ZZ")] // no such unit: the same answer
    public async Task Another_units_pages_are_forbidden_whether_or_not_it_exists(string code)
    {
        var frame = MiniPortal.Frame(MiniPortal.A2);
        Assert.Equal(403, (await Assert.ThrowsAsync<PortalException>(() => Pages.UnitHomeAsync(MiniPortal.A2, frame, code))).Status);
        Assert.Equal(403, (await Assert.ThrowsAsync<PortalException>(() => Pages.ScorecardAsync(MiniPortal.A2, frame, code, Mini.Q3))).Status);
        Assert.Equal(403, (await Assert.ThrowsAsync<PortalException>(() => Pages.BulletinAsync(MiniPortal.A2, frame, code, Mini.Q3))).Status);
        Assert.Equal(403, (await Assert.ThrowsAsync<PortalException>(() => Pages.DocumentAsync(MiniPortal.A2, code, Mini.Q3, DocumentKind.Scorecard))).Status);
    }

    [Fact]
    public async Task A_county_sees_no_page_of_a_town_that_no_published_run_made_its_own()
    {
        // T1's parent is A1 in the units table, but no town run has been published: the published runs decide who reads a
        // town (the API's rule), so A1 has nothing of T1's to read yet and gets the 403 any other unit gets. (Once a town
        // run is published with T1 under A1, A1 reads it: AccessAgreementTests.)
        var e = await Assert.ThrowsAsync<PortalException>(() => Pages.UnitHomeAsync(MiniPortal.A1, MiniPortal.Frame(MiniPortal.A1), "T1"));
        Assert.Equal(403, e.Status);
        // The town itself and the office still see its (empty) home.
        var own = await Pages.UnitHomeAsync(new("t1", "某镇", AccountRole.Unit, "T1"), MiniPortal.Frame(null), "T1");
        Assert.Equal("某镇", own.Name);
        Assert.Null(own.Latest);
        Assert.Null((await Pages.UnitHomeAsync(MiniPortal.Office, MiniPortal.Frame(MiniPortal.Office), "T1")).Latest);
    }

    [Fact]
    public async Task Authors_see_no_unit_pages()
    {
        var e = await Assert.ThrowsAsync<PortalException>(() => Pages.UnitHomeAsync(MiniPortal.Author, MiniPortal.Frame(MiniPortal.Author), "A1"));
        Assert.Equal(403, e.Status);
    }

    [Fact]
    public async Task The_scorecard_page_names_dimensions_and_indicators()
    {
        var card = await Pages.ScorecardAsync(MiniPortal.A1, MiniPortal.Frame(MiniPortal.A1), "A1", Mini.Q2);
        Assert.Equal(90.5m, card.Result.Total);
        // The dimension's maximum counts investment's 120% cap: 60 × 1.2 + 40 = 112.
        Assert.Equal([("经济", 90m, (decimal?)112m)], card.Dimensions.Select(d => (d.Name, d.Score, d.Max)));
        Assert.Equal([("固定资产投资（fai）", 60m), ("财政收入（rev）", 30m)], card.Indicators.Select(i => (i.Id, i.Score)));
        Assert.Equal([("国家级荣誉", 0.5m)], card.Adjustments.Select(a => (a.Name, a.Score)));
    }

    [Fact]
    public async Task The_bulletin_is_the_units_class_with_rank_changes_against_the_quarter_before()
    {
        var bulletin = await Pages.BulletinAsync(MiniPortal.A2, MiniPortal.Frame(MiniPortal.A2), "A2", Mini.Q3);
        Assert.Equal("甲", bulletin.Class);
        // Q3: A1 112 (was 2nd: up 1), A2 90 (was 1st: down 1); class 乙 is not shown.
        Assert.Equal([("A1", 1, 112m, (int?)1), ("A2", 2, 90m, (int?)-1)], bulletin.Rows.Select(r => (r.Code, r.Rank, r.Total, r.RankChange)));
        Assert.All(bulletin.Rows, r => Assert.Null(r.Link));
    }

    [Fact]
    public async Task A_unit_downloads_its_own_pdf_and_its_class_bulletin()
    {
        var card = await Pages.DocumentAsync(MiniPortal.A1, "A1", Mini.Q3, DocumentKind.Scorecard);
        Assert.Contains("scorecard A1 甲一县 甲 total=112 rank=1/2", System.Text.Encoding.UTF8.GetString(card.Content));
        var bulletin = await Pages.DocumentAsync(MiniPortal.A1, "A1", Mini.Q3, DocumentKind.Bulletin);
        Assert.Equal("甲", bulletin.Key);
    }

    [Fact]
    public async Task The_office_reviews_a_runs_class_rankings()
    {
        var run = await Pages.RunAsync(MiniPortal.Frame(MiniPortal.Office), mini.Q3Run);
        Assert.True(run.Run.Published);
        Assert.False(run.CanPublish);
        Assert.Equal("/api/periods/2025Q3/scorecards.zip?level=county", run.ZipUrl);
        Assert.Equal(new BaiQianWan.Assess.Workflow.RenderProgress(4, 4, 2, 2), run.Progress);
        Assert.Equal(["甲", "乙"], run.Classes.Select(c => c.Class));
        // 乙 in Q3: B2 fai 50/50 → 60, rev 20/40 → 20: 80; B1 fai 25/50 → 30, rev 40/40 → 40: 70.
        Assert.Equal([("B2", 80m), ("B1", 70m)], run.Classes[1].Rows.Select(r => (r.Code, r.Total)));
    }

    [Fact]
    public async Task The_audit_log_filters_by_action_and_text()
    {
        var all = await Pages.AuditAsync(MiniPortal.Frame(MiniPortal.Office), null, null, null);
        var publishes = await Pages.AuditAsync(MiniPortal.Frame(MiniPortal.Office), null, "publish", null);
        Assert.Equal(2, publishes.Entries.Count);
        Assert.True(publishes.Entries[0].Sequence > publishes.Entries[1].Sequence); // newest first
        Assert.Contains("publish", all.Actions);
        var q2 = await Pages.AuditAsync(MiniPortal.Frame(MiniPortal.Office), null, "publish", "2025Q2");
        Assert.Single(q2.Entries);
    }

    [Fact]
    public async Task The_editor_reports_validator_errors_at_their_lines()
    {
        var broken = Mini.RulesetYaml.Replace("weight: 40", "weight: forty");
        var line = broken.Split('\n').ToList().FindIndex(l => l.Contains("forty")) + 1;
        var model = Pages.Checked(MiniPortal.Author, MiniPortal.Frame(MiniPortal.Author), broken, "mini", 1);
        var error = Assert.Single(model.Errors);
        Assert.Equal("ruleset.yaml", error.File);
        Assert.Equal(line, error.Row);
        Assert.Equal("17", error.Column); // "weight: forty" starts at column 17 after 16 spaces of indentation
        Assert.Empty(Pages.Checked(MiniPortal.Author, MiniPortal.Frame(MiniPortal.Author), Mini.RulesetYaml, "mini", 1).Errors);
    }

    [Fact]
    public async Task A_preview_sets_the_draft_beside_the_active_version()
    {
        var v2 = await mini.Service.AddRulesetAsync(Mini.RulesetV2, "mini.yaml", "author");
        var preview = await Pages.PreviewAsync(MiniPortal.Author, MiniPortal.Frame(MiniPortal.Author), "mini", v2.Version, Mini.Q2);
        Assert.Equal(1, preview.ActiveVersion);
        // Q2 under v2 (50/50): A1 fai 50/50 → 50, rev 30/40 → 37.5, honor 0.5: 88; A2 fai → 60, rev → 50: 110.
        var a = preview.Classes.Single(c => c.Class == "甲").Lines;
        Assert.Equal([("A2", 110m, 1, (decimal?)112m, (int?)1), ("A1", 88m, 2, (decimal?)90.5m, (int?)2)],
            a.Select(l => (l.Code, l.Total, l.Rank, l.ActiveTotal, l.ActiveRank)));
    }

    [Fact]
    public async Task The_diff_shows_the_changed_weights_and_lets_the_office_activate()
    {
        var v2 = await mini.Service.AddRulesetAsync(Mini.RulesetV2, "mini.yaml", "author");
        var diff = await Pages.DiffAsync(MiniPortal.Office, MiniPortal.Frame(MiniPortal.Office), "mini", 1, v2.Version);
        Assert.Equal(["weight: 60", "weight: 40"], diff.Lines.Where(l => l.Kind == DiffKind.Removed).Select(l => l.Text.Trim()));
        Assert.Equal(["weight: 50", "weight: 50"], diff.Lines.Where(l => l.Kind == DiffKind.Added).Select(l => l.Text.Trim()));
        Assert.True(diff.CanActivate);
        Assert.False((await Pages.DiffAsync(MiniPortal.Author, MiniPortal.Frame(MiniPortal.Author), "mini", 1, v2.Version)).CanActivate);
    }

    [Fact]
    public void A_line_diff_keeps_unchanged_lines_numbered_on_both_sides()
    {
        var lines = LineDiff.Compare("a\nb\nc\nd", "a\nc\nx\nd");
        (DiffKind, int?, int?)[] expected =
        [
            (DiffKind.Same, 1, 1), (DiffKind.Removed, 2, null), (DiffKind.Same, 3, 2), (DiffKind.Added, null, 3), (DiffKind.Same, 4, 4),
        ];
        Assert.Equal(expected, lines.Select(l => (l.Kind, l.OldNumber, l.NewNumber)));
    }
}
