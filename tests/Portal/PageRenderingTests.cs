using System.Text.RegularExpressions;
using BaiQianWan.Assess.Portal.Components;
using BaiQianWan.Assess.Portal.Models;
using BaiQianWan.Assess.Portal.Rendering;
using BaiQianWan.Assess.Workflow;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>The pages and shared components as HTML: what they print, and that nothing breaks the CSP.</summary>
public sealed partial class PageRenderingTests(MiniPortal mini) : IClassFixture<MiniPortal>, IAsyncLifetime
{
    private readonly PageRenderer _renderer = new();
    private IReadOnlyList<(string Name, string Html)> _pages = [];

    public async Task InitializeAsync()
    {
        await PageHtml.EnsureSecondVersionAsync(mini);
        _pages = await PageHtml.AllAsync(mini, _renderer);
    }

    public async Task DisposeAsync() => await _renderer.DisposeAsync();

    private string Page(string name) => _pages.Single(p => p.Name == name).Html;

    /// <summary>Issue 25 item 3: the 公示稿 mark with the deadline on every page of a provisional result, none on a final one.</summary>
    [Fact]
    public void Provisional_results_carry_the_draft_mark_with_the_deadline_and_final_ones_none()
    {
        foreach (var name in new[] { "scorecard-notice", "scorecard-notice-office", "unit-home-notice", "bulletin-notice" })
        {
            var deadlines = Regex.Matches(Page(name), "data-testid=\"draft-deadline\">([^<]+)<").Select(m => m.Groups[1].Value).ToList();
            Assert.True(deadlines.Count >= 1, name);
            Assert.All(deadlines, d => Assert.StartsWith("2025-10-13 24:00", d));
        }
        // The home: the latest's banner, the quarter's tag and the month panel's banner.
        Assert.Equal(2, Regex.Matches(Page("unit-home-notice"), "data-testid=\"draft-mark\"").Count);
        Assert.Single(Regex.Matches(Page("unit-home-notice"), "data-testid=\"draft-tag\""));
        foreach (var name in new[] { "scorecard", "unit-home", "bulletin", "unit-home-month" })
            Assert.DoesNotContain("公示稿", Page(name));
        // The unit's form: every target, multipart; its open request withdrawable, others not; no answer form for a unit.
        var card = Page("scorecard-notice");
        Assert.Contains("enctype=\"multipart/form-data\" action=\"/units/A1/scorecards/2025Q2/reviews\"", card);
        Assert.Equal(4, Regex.Matches(card, "<option value=").Count);
        Assert.Equal(["rv-000005"], Regex.Matches(card, "data-testid=\"withdraw-(rv-\\d+)\"").Select(m => m.Groups[1].Value));
        Assert.DoesNotContain("data-testid=\"answer-", card);
        Assert.DoesNotContain("data-testid=\"file-review\"", Page("scorecard-notice-office"));
        // The office's notice page: an answer form per open request, make final and withdraw.
        var notice = Page("notice");
        Assert.Equal(["rv-000005", "rv-000004"], Regex.Matches(notice, "data-testid=\"answer-(rv-\\d+)\"").Select(m => m.Groups[1].Value));
        Assert.Contains("data-testid=\"make-final\"", notice);
        Assert.Contains("data-testid=\"withdraw-publication\"", notice);
        Assert.Contains("data-testid=\"notice-state\"", Page("run-notice"));
        Assert.Matches("value=\"notice\" checked", Page("run-publish"));
    }

    [Fact]
    public void No_page_has_inline_script_style_or_event_handlers()
    {
        Assert.Equal(40, _pages.Count);
        foreach (var (name, html) in _pages)
        {
            Assert.StartsWith("<!DOCTYPE html>", html);
            Assert.Contains("<html lang=\"zh-CN\">", html);
            Assert.DoesNotMatch(InlineScript(), html);
            Assert.DoesNotMatch(StyleAttribute(), html);
            Assert.DoesNotMatch(EventHandler(), html);
            Assert.True(Regex.Matches(html, "<form method=\"post\"").Count == Regex.Matches(html, "name=\"__af\"").Count, $"{name}: every post form carries the antiforgery token");
        }
    }

    [Fact]
    public void The_layout_says_who_is_signed_in_and_offers_sign_out()
    {
        var html = Page("unit-home");
        Assert.Contains("<span class=\"who-name\" data-testid=\"who\">甲一县</span>", html);
        Assert.Contains("<span class=\"who-role\">单位 A1</span>", html);
        Assert.Contains("action=\"/signout\"", html);
        Assert.Contains("value=\"AF-TOKEN\"", html);
        Assert.DoesNotContain("action=\"/signout\"", Page("signin"));
    }

    [Fact]
    public void An_account_named_after_its_role_is_not_named_twice_in_the_header()
    {
        // Issue 22 item 14: the author's header read 规则作者 规则作者.
        var editor = Page("editor");
        Assert.Contains("<span class=\"who-name\" data-testid=\"who\">规则作者</span>", editor);
        Assert.DoesNotContain("who-role", editor);
        Assert.Contains("<span class=\"who-name\" data-testid=\"who\">考核办</span>", Page("runs"));
        Assert.DoesNotContain("who-role", Page("runs"));
    }

    [Fact]
    public void The_unit_home_prints_the_latest_figures_and_both_quarters()
    {
        var html = Page("unit-home");
        Assert.Contains("<span class=\"big\">112.00</span>", html);
        Assert.Contains("<span class=\"big\">1/2</span>", html);
        Assert.Contains("2025年第二季度（1—6月累计）", html);
        Assert.Contains("href=\"/units/A1/scorecards/2025Q2/pdf\"", html);
        Assert.Contains("还没有发布本单位的考核结果", Page("unit-empty"));
    }

    [Fact]
    public void The_trend_chart_is_drawn_on_the_server_at_the_worked_out_points()
    {
        // Totals 90.5 and 112 on a 90–120 scale over y 216..20: 216 − 0.5/30 × 196 = 212.7; 216 − 22/30 × 196 = 72.3.
        // Ranks 2 and 1 of 2: bottom (216) and top (20). Quarters at the plot's ends less the inset that keeps their labels
        // clear of the axes (issue 22 item 14): x = 48 + 36 = 84 and 592 − 36 = 556.
        var g = new TrendGeometry([new TrendPoint("2025Q2", 90.5m, 2, 2), new TrendPoint("2025Q3", 112m, 1, 2)]);
        Assert.Equal((90m, 120m, 2), (g.TotalMin, g.TotalMax, g.RankMax));
        Assert.Equal("84,212.7 556,72.3", g.TotalLine);
        Assert.Equal("84,216 556,20", g.RankLine);
        var html = Page("unit-home");
        Assert.Contains("<polyline points=\"84,212.7 556,72.3\"", html);
        Assert.Contains("2025Q2 总分 90.50，名次 2/2；2025Q3 总分 112.00，名次 1/2", html);
    }

    [Fact]
    public void The_run_review_links_the_runs_results_workbook()
    {
        // Issue 22 item 8: the office downloads the run's 汇总表 from its review, before and after publishing.
        Assert.Contains($"<a class=\"button secondary\" href=\"/api/evaluations/{mini.Q3Run}/results.xlsx\" data-testid=\"results-xlsx\">下载结果汇总表（XLSX）</a>", Page("run"));
    }

    [Fact]
    public void Rejected_rows_are_listed_as_file_row_column_reason()
    {
        var html = Page("uploads");
        Assert.Contains("<code>units.csv:3:level</code>", html);
        Assert.Contains("层级 &#x27;province&#x27; 不是 county、town 或 village", html);
        Assert.Contains("<code>units.csv:5:code</code>", html);
        Assert.Contains("units.csv 有 2 处错误，未写入任何数据", html);
    }

    [Fact]
    public async Task The_error_list_component_marks_each_row_with_its_line()
    {
        var html = await _renderer.RenderFragmentAsync<ErrorList>(new Dictionary<string, object?>
        {
            ["Errors"] = (IReadOnlyList<InputError>)[new InputError("ruleset.yaml", 12, "17", "权重必须是数")],
            ["Caption"] = "校验错误",
        });
        Assert.Contains("<tr data-line=\"12\">", html);
        Assert.Contains("<code>ruleset.yaml:12:17</code>", html);
        Assert.Contains("<caption>校验错误（1 处）</caption>", html);
        Assert.DoesNotContain("代码", html); // data errors have no code
    }

    [Fact]
    public async Task The_error_list_shows_a_ruleset_error_s_code_line_and_message()
    {
        var html = await _renderer.RenderFragmentAsync<ErrorList>(new Dictionary<string, object?>
        {
            ["Errors"] = (IReadOnlyList<InputError>)[InputError.Of("ruleset.yaml", Rules.Loading.RulesetLoader.Load("id: t\nname: x\nlevel: province\n").Diagnostics.First(d => d.Code == "RS3050"))],
            ["Caption"] = "校验错误",
        });
        Assert.Contains("<th scope=\"col\">代码</th>", html);
        Assert.Contains("<code>ruleset.yaml:3:8</code>", html);
        Assert.Contains("<td class=\"code\" data-label=\"代码\"><code>RS3050</code></td>", html);
        Assert.Contains("province", html);
    }

    [Fact]
    public async Task The_ranking_table_highlights_rows_whose_rank_or_grade_changed()
    {
        var html = await _renderer.RenderFragmentAsync<RankingTable>(new Dictionary<string, object?>
        {
            ["Rows"] = (IReadOnlyList<RankingRow>)
            [
                new RankingRow(1, "A1", "甲一县", "甲", 112m, "好", ["red"], null, 1, null, null),
                new RankingRow(2, "A2", "甲二县", "甲", 90m, "一般", [], null, 0, "一般", null),
            ],
            ["Caption"] = "甲",
            ["ChangeHeading"] = "较上期",
        });
        Assert.Single(Regex.Matches(html, "<tr class=\"changed\">"));
        Assert.Contains("<td class=\"up\" data-label=\"较上期\">↑1</td>", html);
        Assert.Contains("<td data-label=\"较上期\">持平</td>", html);
        Assert.Contains("<span class=\"tag red\">红榜</span>", html);
    }

    [Fact]
    public async Task The_ranking_table_marks_the_reader_s_own_row_and_shows_ranks_with_the_class_size()
    {
        // Issue 22 item 14: a unit's own row in its class bulletin; a county's towns, of several classes, as 182 / 240.
        var html = await _renderer.RenderFragmentAsync<RankingTable>(new Dictionary<string, object?>
        {
            ["Rows"] = (IReadOnlyList<RankingRow>)
            [
                new RankingRow(182, "T1", "某镇", "中心镇", 70m, "一般", [], null, null, null, null) { Peers = 240 },
                new RankingRow(3, "T2", "另镇", "专业镇", 90m, "好", [], null, null, null, null) { Peers = 35 },
            ],
            ["Caption"] = "下属乡镇",
            ["ShowClass"] = true,
            ["ShowPeers"] = true,
            ["Own"] = "T2",
        });
        Assert.Contains("<td class=\"num\" data-label=\"名次\">182 / 240</td>", html);
        Assert.Contains("<td class=\"num\" data-label=\"名次\">3 / 35</td>", html);
        Assert.Contains("<th scope=\"col\">名次 / 本类单位数</th>", html);
        Assert.Single(Regex.Matches(html, "<tr class=\"own\" aria-current=\"true\">"));
        Assert.Contains("另镇<span class=\"tag own\">本单位</span>", html);
        Assert.DoesNotContain("某镇<span class=\"tag own\">", html);
    }

    [Fact]
    public void A_unit_s_class_bulletin_marks_its_own_row()
    {
        // A1 reads its class 甲's Q3 bulletin: A1 (1st) is its own row, A2 is not.
        var html = Page("bulletin");
        Assert.Single(Regex.Matches(html, "<tr class=\"own\" aria-current=\"true\">"));
        Assert.Matches("<tr class=\"own\" aria-current=\"true\">\\s*<td class=\"num\" data-label=\"名次\">1</td>\\s*<td data-label=\"单位\">(<a [^>]*>)?甲一县(</a>)?<span class=\"tag own\">本单位</span>", html);
    }

    [Fact]
    public void The_trend_chart_keeps_every_quarter_s_labels_clear_of_both_axes()
    {
        // Labels are centred on their mark, at most about 44 units wide (6 characters at the 12-unit font): 22 each side.
        foreach (var count in new[] { 1, 2, 4, 8 })
        {
            var points = Enumerable.Range(1, count).Select(i => new TrendPoint($"2025Q{(i - 1) % 4 + 1}", 100m + i, 1, 2)).ToList();
            var g = new TrendGeometry(points);
            Assert.All(g.Marks, m => Assert.InRange(m.X, TrendGeometry.Left + 22 + 8, TrendGeometry.Right - 22 - 8));
        }
    }

    [Fact]
    public void The_editor_marks_the_broken_lines_in_the_gutter()
    {
        var html = Page("editor");
        var yaml = Store.Mini.RulesetYaml.Replace("weight: 40", "weight: forty").Replace("method: completion\n", "method: nonsense\n");
        var lines = yaml.Split('\n');
        var forty = Array.FindIndex(lines, l => l.Contains("forty")) + 1;
        Assert.Matches($"<li class=\"err\" title=\"[^\"]+\">{forty}</li>", html);
        Assert.Contains($"<code>ruleset.yaml:{forty}:17</code>", html);
        Assert.Contains("发现 ", html);
    }

    [Fact]
    public void Preview_rows_whose_rank_changes_are_highlighted()
    {
        var html = Page("preview");
        // Q2 under v2 keeps the order of v1 (A2 first, A1 second): nothing changes rank in 甲.
        Assert.Contains("data-testid=\"preview-甲\"", html);
        Assert.Contains("<td class=\"num\" data-label=\"草稿总分\">88.00</td>", html);
    }

    [Fact]
    public void The_preview_links_to_the_editor_and_the_diff_and_says_the_office_activates()
    {
        var html = Page("preview");
        Assert.Contains("<a href=\"/rulesets/mini/2/edit\">回到编辑器（v2）</a>", html);
        Assert.Contains("<a href=\"/rulesets/mini/diff?from=1&amp;to=2\">与启用版 v1 的差异</a>", html);
        Assert.Contains("<p class=\"hint\" data-testid=\"preview-activation\">预览不改变正在使用的版本：v2 由考核办启用（在规则集页或差异页），规则作者不能启用。</p>", html);
    }

    [Fact]
    public void The_diff_lists_the_changed_lines_in_context_and_counts_the_lines_left_out()
    {
        var html = Page("diff");
        Assert.Contains("增加 <span data-testid=\"added\">2</span> 行，删除 <span data-testid=\"removed\">2</span> 行（只列出改动的行和前后各 3 行）。", html);
        // 9 unchanged lines hidden before line 10 and after line 23; the removed weight before the added one.
        var rows = Regex.Matches(html, "<tr class=\"(gap|same|removed|added)\">\\s*<td[^>]*>([^<]*)</td>(?:<td class=\"num\">([^<]*)</td>)?")
            .Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}{(m.Groups[3].Success ? "/" + m.Groups[3].Value : "")}").ToList();
        Assert.Equal(["gap ⋯ 未改动的 9 行", "same 10/10", "same 11/11", "same 12/12", "removed 13/", "added /13", "same 14/14", "same 15/15", "same 16/16",
            "same 17/17", "same 18/18", "same 19/19", "removed 20/", "added /20", "same 21/21", "same 22/22", "same 23/23", "gap ⋯ 未改动的 9 行"], rows);
    }

    [Fact]
    public void Every_asset_is_embedded_and_versioned_by_its_hash()
    {
        Assert.Equal(["favicon.svg", "portal.css", "portal.js"], PortalAssets.Names.Order(StringComparer.Ordinal));
        // Issue 22 item 14: a favicon, linked from every page.
        var icon = PortalAssets.Get("favicon.svg")!;
        Assert.Equal("image/svg+xml", icon.ContentType);
        Assert.Matches($"<link rel=\"icon\" href=\"/assets/favicon\\.svg\\?v={icon.Version}\"", Page("signin"));
        var css = PortalAssets.Get("portal.css")!;
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(css.Content))[..16], css.Version);
        Assert.Contains($"/assets/portal.css?v={css.Version}", Page("signin"));
    }

    [GeneratedRegex("<script(?![^>]*\\ssrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex("\\sstyle=\"", RegexOptions.IgnoreCase)]
    private static partial Regex StyleAttribute();

    [GeneratedRegex("\\son[a-z]+=\"", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandler();
}
