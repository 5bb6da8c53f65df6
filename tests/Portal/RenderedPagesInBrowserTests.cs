using System.Text;
using System.Text.Json;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Portal.Building;
using BaiQianWan.Assess.Portal.Rendering;
using Deque.AxeCore.Commons;
using Microsoft.Playwright;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// Every rendered page opened in Chromium as the app will serve it (same HTML, embedded assets and CSP headers,
/// the server validator behind the editor's script), before any host serves it: axe finds no serious or critical
/// violation at 1280 px and 375 px, nothing breaks the CSP, nothing scrolls sideways on a phone.
/// </summary>
[Trait("Cost", "Slow")]
public sealed class RenderedPagesInBrowserTests(MiniPortal mini, Chromium chromium) : IClassFixture<MiniPortal>, IClassFixture<Chromium>, IAsyncLifetime
{
    private const string Origin = "http://portal.test";
    private readonly PageRenderer _renderer = new();
    private IReadOnlyList<(string Name, string Html)> _pages = [];

    public async Task InitializeAsync()
    {
        if ((await mini.Store.ListRulesetsAsync()).Count < 2) await PageHtml.EnsureSecondVersionAsync(mini);
        _pages = await PageHtml.AllAsync(mini, _renderer);
    }

    public async Task DisposeAsync() => await _renderer.DisposeAsync();

    /// <summary>A browser context whose requests to <see cref="Origin"/> are answered as the app answers them.</summary>
    private async Task<(IBrowserContext Context, List<string> CspViolations)> ServeAsync(int width)
    {
        var context = await chromium.ContextAsync(width, Origin);
        var violations = new List<string>();
        await context.RouteAsync(Origin + "/**", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.AbsolutePath.StartsWith(PortalAssets.Prefix, StringComparison.Ordinal)
                && PortalAssets.Get(url.AbsolutePath[PortalAssets.Prefix.Length..]) is { } asset)
            {
                await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = asset.ContentType, BodyBytes = asset.Content });
                return;
            }
            if (url.AbsolutePath == PortalUrls.ValidateRuleset && route.Request.Method == "POST")
            {
                var form = System.Web.HttpUtility.ParseQueryString(route.Request.PostData ?? "");
                var errors = PortalPages.Validate(form["yaml"] ?? "")
                    .Select(e => new { file = e.File, line = e.Row, column = e.Column, length = e.Length, code = e.Code, message = e.Message });
                await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "application/json", Body = JsonSerializer.Serialize(new { errors }) });
                return;
            }
            var page = _pages.FirstOrDefault(p => "/" + p.Name == url.AbsolutePath);
            if (page.Html is null)
            {
                await route.FulfillAsync(new RouteFulfillOptions { Status = 404, Body = "" });
                return;
            }
            await route.FulfillAsync(new RouteFulfillOptions
            {
                Status = 200,
                ContentType = "text/html; charset=utf-8",
                BodyBytes = Encoding.UTF8.GetBytes(page.Html),
                Headers = ContentSecurity.Headers.ToDictionary(h => h.Key, h => h.Value),
            });
        });
        context.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) lock (violations) violations.Add(message.Text);
        };
        return (context, violations);
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task Axe_finds_no_serious_or_critical_violation_on_any_page(int width)
    {
        var (context, violations) = await ServeAsync(width);
        await using var _ = context;
        var problems = new List<string>();
        foreach (var (name, _) in _pages)
        {
            var page = await context.NewPageAsync();
            var response = await page.GotoAsync($"/{name}");
            Assert.Equal(200, response!.Status);
            var result = await Chromium.AxeAsync(page);
            foreach (var v in result.Violations.Where(v => v.Impact is "serious" or "critical"))
                problems.Add($"{name} @{width}px: {v.Id} ({v.Impact}) {v.Help}: {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}");
            if (width < 500)
            {
                var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
                if (overflow > 0)
                {
                    var wide = await page.EvaluateAsync<string>(
                        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap'))" +
                        ".slice(0, 3).map(e => e.outerHTML.slice(0, 120)).join(' || ')");
                    problems.Add($"{name} @{width}px: the page scrolls sideways by {overflow}px: {wide}");
                }
            }
            await page.CloseAsync();
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Empty(violations);
    }

    /// <summary>
    /// Issue 22 item 13: at 375 px no page scrolls sideways and no element is wider than the screen, tables and their
    /// wrappers included (wide tables turn into cards, each cell a line with its column's name). Axe at 375 px is the
    /// theory above's second case, run once per page rather than twice.
    /// </summary>
    [Fact]
    public async Task Every_page_fits_a_375_px_phone_with_no_element_wider_than_the_screen()
    {
        var (context, violations) = await ServeAsync(375);
        await using var _ = context;
        var problems = new List<string>();
        foreach (var (name, _) in _pages)
        {
            var page = await context.NewPageAsync();
            Assert.Equal(200, (await page.GotoAsync($"/{name}"))!.Status);
            Assert.Equal(375, await page.EvaluateAsync<int>("window.innerWidth"));
            var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            if (scrollWidth > 375) problems.Add($"{name}: document.scrollWidth {scrollWidth} > 375");
            // Every element inside the screen: none starts left of it, ends right of it, or is wider (visually hidden ones apart).
            var wide = await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('body *')]
                  .filter(e => { const r = e.getBoundingClientRect(); return r.width > 1 && (r.left < -0.5 || r.right > window.innerWidth + 0.5 || r.width > window.innerWidth); })
                  .filter(e => !e.closest('.sr-only, .skip, thead') && getComputedStyle(e).visibility !== 'hidden')
                  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().left) + '..' + Math.round(e.getBoundingClientRect().right) + ': ' + e.outerHTML.slice(0, 100))
                """);
            problems.AddRange(wide.Select(w => $"{name}: {w}"));
            await page.CloseAsync();
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Empty(violations);
    }

    /// <summary>Issue 22 item 14 in the browser, at both widths: the bars aligned, the trend's labels clear of its axes, own row marked.</summary>
    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task Progress_bars_line_up_trend_labels_clear_the_axes_and_the_own_row_stands_out(int width)
    {
        var (context, violations) = await ServeAsync(width);
        await using var _ = context;
        var page = await context.NewPageAsync();

        await page.GotoAsync("/run");
        if (await page.Locator("#p-cards").CountAsync() > 0)
        {
            var cards = (await page.Locator("#p-cards").BoundingBoxAsync())!;
            var bulletins = (await page.Locator("#p-bulletins").BoundingBoxAsync())!;
            Assert.Equal((cards.X, cards.Width), (bulletins.X, bulletins.Width));
            Assert.True(cards.Width > 50, $"the bars are {cards.Width}px wide");
        }

        await page.GotoAsync("/unit-home");
        // Each quarter's labels (quarter and total) lie between the left and the right axis lines.
        var clear = await page.EvaluateAsync<bool[]>("""
            () => {
              const svg = document.querySelector('[data-testid=trend] svg');
              const lines = [...svg.querySelectorAll(':scope > line')].map(l => l.getBoundingClientRect());
              const left = lines[1].left, right = lines[2].right;
              return [...svg.querySelectorAll('g[data-period] text')].map(t => { const r = t.getBoundingClientRect(); return r.left > left + 1 && r.right < right - 1; });
            }
            """);
        Assert.NotEmpty(clear);
        Assert.All(clear, Assert.True);

        await page.GotoAsync("/bulletin");
        var own = page.Locator("tr.own");
        Assert.Equal(1, await own.CountAsync());
        Assert.Contains("甲一县", await own.InnerTextAsync());
        Assert.Equal("rgb(232, 238, 251)", await own.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));

        await page.GotoAsync("/towns-ranked");
        Assert.Contains("182 / 240", await page.InnerTextAsync("[data-testid=ranking]"));
        Assert.Empty(violations);
    }

    [Fact]
    public async Task The_stylesheet_and_script_load_under_the_csp()
    {
        var (context, violations) = await ServeAsync(1280);
        await using var _ = context;
        var page = await context.NewPageAsync();
        await page.GotoAsync("/unit-home");
        // The stylesheet applied: the header is the portal's red (#b3261e).
        Assert.Equal("rgb(179, 38, 30)", await page.EvalOnSelectorAsync<string>("header.top", "e => getComputedStyle(e).backgroundColor"));
        Assert.Equal("甲一县", await page.InnerTextAsync("[data-testid=who]"));
        Assert.Empty(violations);
    }

    [Fact]
    public async Task The_editor_marks_errors_from_the_server_validator_as_the_author_types()
    {
        var (context, violations) = await ServeAsync(1280);
        await using var _ = context;
        var page = await context.NewPageAsync();
        await page.GotoAsync("/editor");
        var broken = await page.InputValueAsync("#yaml");
        var lines = broken.Split('\n');
        var forty = Array.FindIndex(lines, l => l.Contains("weight: forty")) + 1;
        Assert.True(forty > 1);
        Assert.Contains(forty.ToString(System.Globalization.CultureInfo.InvariantCulture), await page.Locator(".gutter li.err").AllInnerTextsAsync());

        // Fix every line: the server says the text is valid and the marks go.
        await page.FillAsync("#yaml", Store.Mini.RulesetYaml);
        await page.Locator("#yaml").PressAsync("End");
        await Assertions.Expect(page.Locator("[data-testid=editor-status]")).ToHaveTextAsync("校验通过");
        Assert.Equal(0, await page.Locator(".gutter li.err").CountAsync());

        // Break the name of the level on its own line: the mark appears at that line, the list says file:line:column.
        var text = Store.Mini.RulesetYaml.Replace("level: county", "level: province");
        var line = Array.FindIndex(text.Split('\n'), l => l.StartsWith("level:", StringComparison.Ordinal)) + 1;
        await page.FillAsync("#yaml", text);
        await page.Locator("#yaml").PressAsync("End");
        await Assertions.Expect(page.Locator(".gutter li.err")).ToHaveCountAsync(1);
        Assert.Equal(line.ToString(System.Globalization.CultureInfo.InvariantCulture), await page.InnerTextAsync(".gutter li.err"));
        Assert.StartsWith($"ruleset.yaml:{line}:", await page.InnerTextAsync("[data-testid=errors] td.pos"));
        // code, line and message for each error
        Assert.Equal("RS3050", await page.InnerTextAsync("[data-testid=errors] td.code"));
        Assert.Contains("province", await page.InnerTextAsync("[data-testid=errors] tbody td:last-child"));
        Assert.Empty(violations);
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task Clicking_an_error_selects_its_line_and_scrolls_it_into_view(int width)
    {
        var (context, violations) = await ServeAsync(width);
        await using var _ = context;
        var page = await context.NewPageAsync();
        await page.GotoAsync("/editor");
        // 80 comment lines before a ruleset whose level is wrong: the error is on line 83, far below the editor's first screen.
        var text = string.Concat(Enumerable.Range(1, 80).Select(i => $"# 说明 {i}\n")) + Store.Mini.RulesetYaml.Replace("level: county", "level: province");
        var lines = text.Split('\n');
        var line = Array.FindIndex(lines, l => l.StartsWith("level:", StringComparison.Ordinal)) + 1;
        Assert.Equal(83, line);
        await page.FillAsync("#yaml", text);
        await Assertions.Expect(page.Locator(".gutter li.err")).ToHaveCountAsync(1);
        Assert.Equal("83", await page.InnerTextAsync(".gutter li.err"));

        const string Visible = """
            line => {
              const r = document.querySelectorAll('.gutter li')[line - 1].getBoundingClientRect();
              const body = document.querySelector('.editor-body').getBoundingClientRect();
              return r.top >= body.top && r.bottom <= body.bottom && r.top >= 0 && r.bottom <= window.innerHeight;
            }
            """;
        await page.EvaluateAsync("() => { document.querySelector('.editor-body').scrollTop = 0; }");
        Assert.False(await page.EvaluateAsync<bool>(Visible, line));

        await page.ClickAsync("[data-testid=errors] tr[data-line='83'] td.pos");
        // The line is selected, and both the editor's box and the page scrolled so that it shows.
        var start = lines.Take(line - 1).Sum(l => l.Length + 1);
        Assert.Equal([start, start + lines[line - 1].Length],
            await page.EvaluateAsync<int[]>("() => { const t = document.querySelector('#yaml'); return [t.selectionStart, t.selectionEnd]; }"));
        Assert.Equal("yaml", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        Assert.True(await page.EvaluateAsync<bool>(Visible, line));
        Assert.Empty(violations);
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task The_preview_s_links_and_the_diff_s_hidden_line_counts_show_within_the_screen(int width)
    {
        var (context, violations) = await ServeAsync(width);
        await using var _ = context;
        var page = await context.NewPageAsync();
        await page.GotoAsync("/preview");
        foreach (var link in new[] { "回到编辑器（v2）", "与启用版 v1 的差异" })
        {
            var box = (await page.GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).BoundingBoxAsync())!;
            Assert.True(box.X >= 0 && box.X + box.Width <= width, $"{link} at {box.X}+{box.Width} of {width}");
        }
        await Assertions.Expect(page.Locator("[data-testid=preview-activation]")).ToBeVisibleAsync();

        await page.GotoAsync("/diff");
        Assert.Equal(["⋯ 未改动的 9 行", "⋯ 未改动的 9 行"], await page.Locator(".diff tr.gap").AllInnerTextsAsync());
        Assert.Equal(["- weight: 60", "+ weight: 50", "- weight: 40", "+ weight: 50"],
            (await page.Locator(".diff tr.removed code, .diff tr.added code").AllInnerTextsAsync()).Select(t => System.Text.RegularExpressions.Regex.Replace(t, @"\s+", " ").Trim()));
        Assert.Empty(violations);
    }
}
