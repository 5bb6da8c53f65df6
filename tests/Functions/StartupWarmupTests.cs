using BaiQianWan.Assess.Functions.Hosting;
using BaiQianWan.Assess.Store;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// The standalone app's warm-up before it listens (issue 20 item 5): one published scorecard downloaded in process, through
/// the gate, the access policy and the function, and nothing written to the store.
/// </summary>
public sealed class StartupWarmupTests(SqlitePublishedProvince fixture) : IClassFixture<SqlitePublishedProvince>
{
    [Fact]
    public async Task The_warm_up_downloads_a_published_county_scorecard_in_process_and_writes_nothing()
    {
        var store = fixture.App.Services.GetRequiredService<IAssessStore>();
        var audit = (await store.GetAuditLogAsync()).Count;
        var runs = (await store.ListRunsAsync(Rules.Data.Period.OfQuarter(2025, 3))).Count;

        // The app's clock stands in 2025Q4: the latest publication is 2025Q3's, counties first.
        Assert.Equal(200, await StartupWarmup.DownloadAsync(fixture.App.Services));

        Assert.Equal(audit, (await store.GetAuditLogAsync()).Count);
        Assert.Equal(runs, (await store.ListRunsAsync(Rules.Data.Period.OfQuarter(2025, 3))).Count);
        // …and the app serves the stored bytes as before.
        using var county = fixture.App.Client(fixture.App.Token("unit", TestProvince.CountyA.Code));
        var stored = await store.GetDocumentAsync(fixture.CountyRunId, DocumentKind.Scorecard, TestProvince.CountyA.Code);
        Assert.Equal(stored!.Content, await county.GetByteArrayAsync($"/api/periods/2025Q3/scorecards/{TestProvince.CountyA.Code}.pdf"));
    }

    [Fact]
    public async Task The_warm_up_names_the_first_scored_county_of_each_recent_publication_latest_first()
    {
        // Only 2025Q3 is published (counties and towns): one target, the counties' (the first level), the scored county
        // with the smallest code (the sample ruleset scores these three classes).
        var first = TestProvince.Counties.Where(c => c.Class is "创先" or "进位" or "消薄").Select(c => c.Code).Order(StringComparer.Ordinal).First();
        var target = Assert.Single(await StartupWarmup.FindAsync(fixture.App.Services));
        Assert.Equal(new StartupWarmup.Target(Rules.Data.Period.OfQuarter(2025, 3), first), target);
        Assert.Equal($"/api/periods/2025Q3/scorecards/{first}.pdf", target.Path);
    }

    [Fact]
    public async Task With_nothing_published_within_three_years_of_the_clock_nothing_is_downloaded()
    {
        var directory = Directory.CreateTempSubdirectory("bqw-warmup-").FullName;
        try
        {
            await using (var app = new AssessAppFactory("sqlite", Path.Combine(directory, "assess.db")))
            {
                app.Clock.Now = new DateTimeOffset(2029, 1, 1, 0, 0, 0, TimeSpan.Zero);
                Assert.Null(await StartupWarmup.DownloadAsync(app.Services));
                Assert.Empty(await StartupWarmup.FindAsync(app.Services));
            }
            // The published province, seen from 2029Q1: 2025Q3 is more than twelve quarters back.
            var clock = fixture.App.Clock;
            var now = clock.Now;
            clock.Now = new DateTimeOffset(2029, 1, 1, 0, 0, 0, TimeSpan.Zero);
            try
            {
                Assert.Null(await StartupWarmup.DownloadAsync(fixture.App.Services));
            }
            finally
            {
                clock.Now = now;
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
