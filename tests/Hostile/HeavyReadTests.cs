using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Functions;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Hostile;

/// <summary>
/// Issue 14 row 6: <c>GET …/scorecards.zip?level=town</c> built the whole ZIP in memory on every request. Now the
/// archive is built once at publication, stored, and every request streams the stored bytes.
/// </summary>
public sealed class HeavyReadTests(SqlitePublishedProvince fixture) : IClassFixture<SqlitePublishedProvince>
{
    private HttpClient Office => fixture.Office;

    private IAssessStore Store => fixture.App.Services.GetRequiredService<IAssessStore>();

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public async Task Row6_the_town_zip_is_read_from_storage_not_built_per_request()
    {
        const string url = "/api/periods/2025Q3/scorecards.zip?level=town";
        var published = await Office.GetByteArrayAsync(url);
        await using (var stored = await Store.OpenArchiveAsync(fixture.TownRunId))
            Assert.Equal(Sha(published), stored!.Sha256);

        // Replace the stored archive with other bytes: a server that built the ZIP per request would not notice.
        var marker = new byte[70_000];
        new Random(6).NextBytes(marker);
        await Store.SaveArchiveAsync(fixture.TownRunId, new MemoryStream(marker));
        try
        {
            var response = await Office.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal($"\"{Sha(marker)}\"", response.Headers.ETag!.Tag);
            Assert.Equal(marker, await response.Content.ReadAsByteArrayAsync());
        }
        finally
        {
            await Store.SaveArchiveAsync(fixture.TownRunId, new MemoryStream(published));
        }
    }

    [Fact]
    public async Task A_period_published_before_archives_gets_one_on_first_request_then_serves_it()
    {
        // A new county run published the way the store did before archives were built at publication.
        var queued = await (await Office.PostAsync("/api/evaluations",
            Api.Json("""{"period":"2025Q3","level":"county","ruleset":"county-2025","version":null}"""))).JsonAsync(HttpStatusCode.Accepted);
        var runId = queued.GetProperty("id").GetString()!;
        Assert.Equal("succeeded", (await Api.WaitForRunAsync(Office, runId)).GetProperty("status").GetString());
        await Store.PublishAsync(runId, "office", DateTimeOffset.UtcNow);
        Assert.Null(await Store.OpenArchiveAsync(runId));

        const string url = "/api/periods/2025Q3/scorecards.zip?level=county";
        var first = await Office.GetAsync(url);
        var bytes = await first.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(runId, first.Headers.GetValues("X-Run-Id").Single());
        await using (var stored = await Store.OpenArchiveAsync(runId))
        {
            Assert.NotNull(stored);
            Assert.Equal((Sha(bytes), (long)bytes.Length), (stored.Sha256, stored.Length));
            Assert.Equal($"\"{stored.Sha256}\"", first.Headers.ETag!.Tag);
        }
        using var zip = new ZipArchive(new MemoryStream(bytes));
        var scorecards = (await Store.ListDocumentsAsync(runId)).Where(d => d.Kind == DocumentKind.Scorecard).ToList();
        Assert.Equal(scorecards.Count, zip.Entries.Count);
        Assert.All(zip.Entries, e => Assert.Equal(ScorecardArchiveTime, e.LastWriteTime));
        var again = await Office.GetAsync(url);
        Assert.Equal(first.Headers.ETag, again.Headers.ETag);
        Assert.Equal(bytes, await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(runId, (await Store.GetPublicationAsync(Period.OfQuarter(2025, 3), UnitLevel.County))!.RunId);
    }

    private static DateTimeOffset ScorecardArchiveTime => BaiQianWan.Assess.Workflow.ScorecardArchive.EntryTime;
}
