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

    [Theory]
    [InlineData("substr(content, 1, length(content) / 2)", "应有 {0} 字节，实有 {1} 字节")]
    [InlineData("zeroblob(length(content))", "SHA-256 应为 {2}，实为 {3}")]
    public async Task A_damaged_stored_archive_is_rebuilt_before_it_is_sent_never_sent_cut_short(string damage, string found)
    {
        // Issue 19 item 6: a ZIP was sent as 200 and cut at 12.9 of 15.1 MB. The stored bytes are checked against the
        // length and SHA-256 recorded when they were saved; damaged ones are rebuilt from the stored scorecards.
        const string url = "/api/periods/2025Q3/scorecards.zip?level=town";
        var good = await Office.GetByteArrayAsync(url);
        var path = ((BaiQianWan.Assess.Store.Sqlite.SqliteAssessStore)Store).Path;
        var damaged = Exec(path, $"UPDATE run_archive SET content = {damage} WHERE run_id = $id; SELECT length(content) FROM run_archive WHERE run_id = $id;",
            fixture.TownRunId);
        var service = fixture.App.Services.GetRequiredService<BaiQianWan.Assess.Workflow.AssessmentService>();
        var warned = new List<string>();
        var log = service.Warn;
        service.Warn = m =>
        {
            lock (warned) warned.Add(m);
            log?.Invoke(m);
        };
        try
        {
            var response = await Office.GetAsync(url);
            var bytes = await response.Content.ReadAsByteArrayAsync();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal((long)good.Length, response.Content.Headers.ContentLength);
            Assert.Equal(Sha(good), Sha(bytes));
            Assert.Equal($"\"{Sha(good)}\"", response.Headers.ETag!.Tag);
            var zeros = Sha(new byte[good.Length]);
            Assert.Equal([$"运行 {fixture.TownRunId} 的记分卡归档已损坏（{string.Format(System.Globalization.CultureInfo.InvariantCulture, found, good.Length, damaged, Sha(good), zeros)}），正在用已存的记分卡重建"],
                warned);
            // Repaired in the store: the next request streams it as it is, without a word.
            await using (var stored = await Store.OpenArchiveAsync(fixture.TownRunId))
            {
                using var copy = new MemoryStream();
                await stored!.Content.CopyToAsync(copy);
                Assert.Equal((Sha(good), (long)good.Length), (Sha(copy.ToArray()), stored.Length));
            }
            Assert.Equal(good, await Office.GetByteArrayAsync(url));
            Assert.Single(warned);
        }
        finally
        {
            service.Warn = log;
        }
    }

    [Fact]
    public async Task A_damaged_archive_that_cannot_be_rebuilt_is_a_503_with_one_warning_not_a_truncated_200()
    {
        const string url = "/api/periods/2025Q3/scorecards.zip?level=town";
        var good = await Office.GetByteArrayAsync(url);
        var path = ((BaiQianWan.Assess.Store.Sqlite.SqliteAssessStore)Store).Path;
        var service = fixture.App.Services.GetRequiredService<BaiQianWan.Assess.Workflow.AssessmentService>();
        var warned = new List<string>();
        var log = service.Warn;
        service.Warn = m =>
        {
            lock (warned) warned.Add(m);
            log?.Invoke(m);
        };
        // The store refuses the rebuilt archive (as a full disk would).
        Exec(path, "CREATE TRIGGER refuse_archive BEFORE INSERT ON run_archive BEGIN SELECT RAISE(ABORT, 'no room'); END;"
            + " UPDATE run_archive SET content = substr(content, 1, 1000) WHERE run_id = $id; SELECT 0;", fixture.TownRunId);
        try
        {
            var response = await Office.GetAsync(url);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.JsonAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal($"运行 {fixture.TownRunId} 的记分卡归档已损坏且无法重建，暂时不能下载", problem.GetProperty("detail").GetString());
            Assert.Equal([
                $"运行 {fixture.TownRunId} 的记分卡归档已损坏（应有 {good.Length} 字节，实有 1000 字节），正在用已存的记分卡重建",
                $"运行 {fixture.TownRunId} 的记分卡归档无法重建：SQLite Error 19: 'no room'."], warned);
        }
        finally
        {
            service.Warn = log;
            Exec(path, "DROP TRIGGER refuse_archive; SELECT 0;", fixture.TownRunId);
            await Store.SaveArchiveAsync(fixture.TownRunId, new MemoryStream(good));
        }
        Assert.Equal(good, await Office.GetByteArrayAsync(url));
    }

    private static long Exec(string path, string sql, string runId)
    {
        using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$id", runId);
        return (long)cmd.ExecuteScalar()!;
    }

    private static DateTimeOffset ScorecardArchiveTime => BaiQianWan.Assess.Workflow.ScorecardArchive.EntryTime;
}
