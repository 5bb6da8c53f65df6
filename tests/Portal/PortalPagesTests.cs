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
    public async Task The_editor_shows_a_valid_text_s_weight_warnings_at_the_class_and_still_lets_it_be_saved()
    {
        // Issue 22 item 10: investment 70 + revenue 40 = 110 in both classes, not 100.
        var heavy = Mini.RulesetYaml.Replace("weight: 60", "weight: 70");
        var model = Pages.Checked(MiniPortal.Author, MiniPortal.Frame(MiniPortal.Author), heavy, "mini", 1);

        Assert.Empty(model.Errors);
        Assert.Equal(["ruleset.yaml:4:11: RS9001：类别 '甲' 的指标权重合计 110（经济 110），不是 100 分：全部达标的单位得 110 分（总分不是百分制时可忽略；用 totalCap 写明总分）",
            "ruleset.yaml:4:14: RS9001：类别 '乙' 的指标权重合计 110（经济 110），不是 100 分：全部达标的单位得 110 分（总分不是百分制时可忽略；用 totalCap 写明总分）"],
            model.Warnings.Select(w => w.ToString()));
        await using var renderer = new BaiQianWan.Assess.Portal.Rendering.PageRenderer();
        var html = System.Net.WebUtility.HtmlDecode(await renderer.RenderAsync<BaiQianWan.Assess.Portal.Pages.EditorPage>(model));
        Assert.Contains("校验通过，有 2 处警告（不影响保存）", html);
        Assert.Contains("data-testid=\"warnings\"", html);
        Assert.Contains("<li class=\"warn\" title=\"第11列：RS9001：类别 '甲'", html);
        Assert.Empty(Pages.Checked(MiniPortal.Author, MiniPortal.Frame(MiniPortal.Author), Mini.RulesetYaml, "mini", 1).Warnings);
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
    public async Task The_diff_shows_only_the_changed_lines_with_three_lines_of_context_removed_before_added()
    {
        var v2 = await mini.Service.AddRulesetAsync(Mini.RulesetV2, "mini.yaml", "author");
        var diff = await Pages.DiffAsync(MiniPortal.Author, MiniPortal.Frame(MiniPortal.Author), "mini", 1, v2.Version);
        // Weights on lines 13 (60 → 50) and 20 (40 → 50) of 32: lines 10–23 in one hunk, 9 hidden before and 9 after.
        var hunk = Assert.Single(diff.Hunks);
        Assert.Equal((9, 9), (hunk.HiddenBefore, hunk.HiddenAfter));
        (DiffKind, int?, int?)[] expected =
        [
            (DiffKind.Same, 10, 10), (DiffKind.Same, 11, 11), (DiffKind.Same, 12, 12),
            (DiffKind.Removed, 13, null), (DiffKind.Added, null, 13),
            (DiffKind.Same, 14, 14), (DiffKind.Same, 15, 15), (DiffKind.Same, 16, 16), (DiffKind.Same, 17, 17), (DiffKind.Same, 18, 18), (DiffKind.Same, 19, 19),
            (DiffKind.Removed, 20, null), (DiffKind.Added, null, 20),
            (DiffKind.Same, 21, 21), (DiffKind.Same, 22, 22), (DiffKind.Same, 23, 23),
        ];
        Assert.Equal(expected, hunk.Lines.Select(l => (l.Kind, l.OldNumber, l.NewNumber)));
        Assert.Equal(["weight: 60", "weight: 50"], hunk.Lines.Where(l => l.Kind != DiffKind.Same).Take(2).Select(l => l.Text.Trim()));
    }

    [Fact]
    public void A_replaced_line_is_listed_removed_first_then_added()
    {
        var lines = LineDiff.Compare("a\nb\nc\nd\ne", "a\nB\nC\nd\ne");
        Assert.Equal([(DiffKind.Same, "a"), (DiffKind.Removed, "b"), (DiffKind.Removed, "c"), (DiffKind.Added, "B"), (DiffKind.Added, "C"), (DiffKind.Same, "d"), (DiffKind.Same, "e")],
            lines.Select(l => (l.Kind, l.Text)));
    }

    [Fact]
    public void Hunks_part_where_more_than_six_unchanged_lines_lie_between_changes()
    {
        static string Text(params int[] changed) =>
            string.Join("\n", Enumerable.Range(1, 30).Select(i => changed.Contains(i) ? $"X{i}" : $"L{i}"));
        static (int, int, int, int) Shape(DiffHunk h) =>
            (h.HiddenBefore, h.Lines.First(l => l.OldNumber is not null).OldNumber!.Value, h.Lines.Last(l => l.OldNumber is not null).OldNumber!.Value, h.HiddenAfter);

        // Lines 5 and 12 replaced: the six lines between are all context, one hunk (old lines 2–15).
        Assert.Equal([(1, 2, 15, 15)], LineDiff.Hunks(LineDiff.Compare(Text(), Text(5, 12))).Select(Shape));
        // Lines 5 and 13: seven between, the middle one hidden: two hunks (2–8 and 10–16), 14 hidden at the end.
        Assert.Equal([(1, 2, 8, 0), (1, 10, 16, 14)], LineDiff.Hunks(LineDiff.Compare(Text(), Text(5, 13))).Select(Shape));
        // A change on the first and last lines: nothing hidden before or after.
        Assert.Equal([(0, 1, 4, 0), (22, 27, 30, 0)], LineDiff.Hunks(LineDiff.Compare(Text(), Text(1, 30))).Select(Shape));
        Assert.Empty(LineDiff.Hunks(LineDiff.Compare(Text(), Text())));
    }

    [Fact]
    public void The_preview_leads_back_to_the_editor_and_the_diff_and_says_the_office_activates()
    {
        var author = PortalPages.PreviewLinksFor(MiniPortal.Author, "mini", 2, 1);
        Assert.Equal(new PreviewLinks("/rulesets/mini/2/edit", "/rulesets/mini/diff?from=1&to=2", "与启用版 v1 的差异",
            "预览不改变正在使用的版本：v2 由考核办启用（在规则集页或差异页），规则作者不能启用。"), author);
        Assert.Equal(new PreviewLinks("/rulesets/mini/2/edit", "/rulesets/mini/diff?from=2&to=3", "与启用版 v3 的差异",
            "预览不改变正在使用的版本：要让之后的考核使用 v2，请在差异页或规则集页启用它（只有考核办能启用）。"), PortalPages.PreviewLinksFor(MiniPortal.Office, "mini", 2, 3));
        // The active version itself, and a ruleset with none active: the diff with the previous version.
        Assert.Equal(new PreviewLinks("/rulesets/mini/2/edit", "/rulesets/mini/diff?from=1&to=2", "与上一版 v1 的差异", "v2 是启用版：之后的考核使用它。"),
            PortalPages.PreviewLinksFor(MiniPortal.Author, "mini", 2, 2));
        Assert.Equal(("/rulesets/mini/diff?from=3&to=4", "与上一版 v3 的差异"), PortalPages.PreviewLinksFor(MiniPortal.Author, "mini", 4, null) is var n ? (n.Diff, n.DiffText) : default);
        // A first version with none active has nothing to compare with.
        Assert.Equal(new PreviewLinks("/rulesets/mini/1/edit", null, null, "预览不改变正在使用的版本：v1 由考核办启用（在规则集页或差异页），规则作者不能启用。"),
            PortalPages.PreviewLinksFor(MiniPortal.Author, "mini", 1, null));
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
