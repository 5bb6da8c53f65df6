using System.Buffers.Binary;
using System.Text.RegularExpressions;
using BaiQianWan.Assess.Cli;
using Microsoft.Playwright;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// The README's screenshots, taken as a new user gets there: the county demo (<c>cli demo --level county</c>) into a folder
/// of its own, the app started on its store as the README says, its printed one-time passwords used in Chromium. The
/// office starts a new 2025Q3 run and reviews it before publishing (1280 px); a county's home at phone width (375 px).
/// The pages are checked (the review's rankings, nothing wider than the phone), the PNGs too (their width, under 300 KB).
/// Rerun to refresh docs/: <c>DOCS_SCREENSHOTS=$PWD/docs dotnet test tests --filter FullyQualifiedName~DocsScreenshotTests</c>
/// (without the variable the PNGs go to a temporary folder and are deleted).
/// </summary>
[Trait("Cost", "Slow")]
public sealed partial class DocsScreenshotTests(Chromium chromium) : IClassFixture<Chromium>, IDisposable
{
    private const int MaxPng = 300 * 1024;
    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-shots-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [GeneratedRegex(@"登录名 (\S+)\s+一次性密码 (\S+)")]
    private static partial Regex Account();

    [Fact]
    public async Task The_offices_review_of_a_run_and_a_countys_home_at_phone_width_from_the_demo_store()
    {
        var demo = Path.Combine(_dir, "out-portal");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.True(CliApp.Run(["demo", "--level", "county", "--out", demo], stdout, stderr) == 0, stderr.ToString());
        var passwords = Account().Matches(stdout.ToString()).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.Equal(["author", "office", "unit-980102"], passwords.Keys.Order(StringComparer.Ordinal));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        using var app = new StandaloneApp(Path.Combine(demo, "demo.db"), new Dictionary<string, string?> { ["Timer__Enabled"] = "false" });
        await app.StartAsync("/signin");
        var folder = Environment.GetEnvironmentVariable("DOCS_SCREENSHOTS") is { Length: > 0 } docs ? docs : Path.Combine(_dir, "shots");
        Directory.CreateDirectory(folder);

        // The office: a new run of 2025Q3 for the counties, reviewed before it is published.
        var office = await SignInAsync(app.Url, "office", passwords["office"], 1280);
        await office.GotoAsync("/office/runs");
        await office.FillAsync("#run-period", "2025Q3");
        await office.SelectOptionAsync("#run-ruleset", "county-2025");
        await office.ClickAsync("form[data-testid=start-run] button");
        Assert.Contains("/office/runs/", office.Url);
        await Assertions.Expect(office.Locator("[data-testid=progress] [data-testid=status]")).ToHaveTextAsync("已完成", new() { Timeout = 180_000 });
        Assert.Equal("120/120", await office.InnerTextAsync("[data-testid=scorecards-count]"));
        Assert.Equal(3, await office.Locator("table.ranking").CountAsync());
        Assert.Equal(120, await office.Locator("table.ranking tbody tr").CountAsync());
        Assert.Equal(1, await office.Locator("[data-testid=publish]").CountAsync());
        var review = Path.Combine(folder, "portal-office-review.png");
        await office.ScreenshotAsync(new PageScreenshotOptions { Path = review });

        // A county at 375 px: its home, nothing wider than the phone.
        var unit = await SignInAsync(app.Url, "unit-980102", passwords["unit-980102"], 375);
        Assert.Equal("/units/980102", new Uri(unit.Url).AbsolutePath);
        await unit.GotoAsync("/units/980102"); // without the sign-in's notice
        Assert.Equal(4, await unit.Locator("[data-testid=trend] circle").CountAsync()); // 2025Q1–Q4 published (the demo's year end publishes the counties' Q4); the year is not a point
        Assert.True(await unit.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth") <= 0);
        var phone = Path.Combine(folder, "portal-unit-phone.png");
        await unit.ScreenshotAsync(new PageScreenshotOptions { Path = phone });

        Assert.Equal((1280, 900), PngSize(review));
        Assert.Equal((375, 800), PngSize(phone));
        foreach (var png in new[] { review, phone })
            Assert.True(new FileInfo(png).Length < MaxPng, $"{png}: {new FileInfo(png).Length} bytes");
    }

    /// <summary>Signs in with a one-time password and sets a new one, as the first sign-in asks.</summary>
    private async Task<IPage> SignInAsync(string url, string name, string oneTime, int width)
    {
        var context = await chromium.ContextAsync(width, url);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.FillAsync("#name", name);
        await page.FillAsync("#password", oneTime);
        await page.ClickAsync("form[data-testid=signin] button[type=submit]");
        Assert.EndsWith("/password", page.Url);
        await page.FillAsync("#current", oneTime);
        await page.FillAsync("#replacement", "Shili-2025-portal");
        await page.ClickAsync("form[data-testid=password] button");
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        return page;
    }

    /// <summary>A PNG's width and height, from its IHDR chunk.</summary>
    private static (int Width, int Height) PngSize(string path)
    {
        var head = File.ReadAllBytes(path).AsSpan(0, 24);
        Assert.True(head[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), path);
        return (BinaryPrimitives.ReadInt32BigEndian(head[16..]), BinaryPrimitives.ReadInt32BigEndian(head[20..]));
    }
}
