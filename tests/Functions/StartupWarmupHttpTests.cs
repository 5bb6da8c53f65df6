using System.Net;
using System.Text.RegularExpressions;
using BaiQianWan.Assess.Store;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// The standalone app started as its own process on a copy of the published province (issue 20 item 5): its start-up
/// trace shows the warm-up's downloads over HTTP, on a private loopback port, all answered, before the public port
/// listens and before the first public response.
/// </summary>
[Trait("Cost", "Slow")]
public sealed class StartupWarmupHttpTests(SqlitePublishedProvince fixture) : IClassFixture<SqlitePublishedProvince>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-warm-http-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Started_alone_the_app_downloads_a_published_scorecard_over_http_on_a_private_port_before_it_listens()
    {
        var path = Path.Combine(_dir, "assess.db");
        await CopyStoreAsync(path);
        using var app = new StandaloneApp(path, new Dictionary<string, string?> { ["ASSESS_STARTUP_TRACE"] = "1", ["Timer__Enabled"] = "false" });
        var url = await app.StartAsync();
        await FirstResponseAsync(app);

        var lines = app.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        int Line(string start) => lines.FindIndex(l => l.StartsWith(start, StringComparison.Ordinal));
        var warm = Line("startup: warm-http ");
        Assert.True(warm >= 0, app.Stdout);
        // 16 connections, two downloads each, of the first published county's 2025Q3 scorecard with its own token: all 200.
        var match = Regex.Match(lines[warm], @"^startup: warm-http 16x2 /api/periods/2025Q3/scorecards/(\d+)\.pdf 200x32 via 127\.0\.0\.1:(\d+) \d+$");
        Assert.True(match.Success, lines[warm]);
        var unit = match.Groups[1].Value;
        Assert.Contains(unit, TestProvince.Counties.Select(c => c.Code));
        Assert.NotEqual(new Uri(url).Port, int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        // In order: the units read, the downloads over HTTP (instead of one in process), the public port, the first public
        // answer (the probe's).
        Assert.True(Line("startup: warm-units") is >= 0 and var units && units < warm, app.Stdout);
        Assert.Equal(-1, Line("startup: warm-download"));
        Assert.True(Line("startup: listening") > warm, app.Stdout);
        Assert.True(Line("startup: first-response /api/openapi.json") > Line("startup: listening"), app.Stdout);
        Assert.DoesNotContain("启动预热", app.Log);

        // The county downloads its stored scorecard from the public port.
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", app.Token("unit", unit));
        using var response = await http.GetAsync($"/api/periods/2025Q3/scorecards/{unit}.pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await fixture.App.Services.GetRequiredService<IAssessStore>().GetDocumentAsync(fixture.CountyRunId, DocumentKind.Scorecard, unit);
        Assert.Equal(stored!.Content, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task With_the_warm_up_off_nothing_is_downloaded_and_the_app_serves()
    {
        var path = Path.Combine(_dir, "assess.db");
        await CopyStoreAsync(path);
        using var app = new StandaloneApp(path, new Dictionary<string, string?>
        {
            ["ASSESS_STARTUP_TRACE"] = "1", ["Timer__Enabled"] = "false", ["Startup__Warm"] = "false",
        });
        await app.StartAsync();
        await FirstResponseAsync(app);
        Assert.DoesNotContain("warm-", app.Stdout);
        Assert.Contains("startup: first-response /api/openapi.json", app.Stdout);
    }

    /// <summary>Until the app has traced its first response (it prints the line once the response has been sent).</summary>
    private static async Task FirstResponseAsync(StandaloneApp app)
    {
        for (var i = 0; i < 100 && !app.Stdout.Contains("startup: first-response ", StringComparison.Ordinal); i++) await Task.Delay(50);
    }

    /// <summary>The fixture's store, copied with SQLite's backup (the fixture's app holds it open).</summary>
    private async Task CopyStoreAsync(string path)
    {
        var source = fixture.App.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Store:Connection"]!;
        await using var from = new SqliteConnection($"Data Source={source};Mode=ReadOnly;Pooling=False");
        await using var to = new SqliteConnection($"Data Source={path};Pooling=False");
        await from.OpenAsync();
        await to.OpenAsync();
        from.BackupDatabase(to);
    }
}
