using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Functions;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Hostile;

/// <summary>
/// Issue 14 row 6: <c>GET …/scorecards.zip?level=town</c> built the whole ZIP in memory on every request; then the
/// archive was stored at publication, a second copy of every scorecard (issue 22 item 20). Now it is assembled on
/// download from the stored scorecards, streamed one document at a time, with nothing of it stored.
/// </summary>
public sealed class HeavyReadTests(SqlitePublishedProvince fixture) : IClassFixture<SqlitePublishedProvince>
{
    private HttpClient Office => fixture.Office;

    private IAssessStore Store => fixture.App.Services.GetRequiredService<IAssessStore>();

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private const string TownZip = "/api/periods/2025Q3/scorecards.zip?level=town";

    [Fact]
    public async Task Row6_the_town_zip_is_assembled_from_the_stored_scorecards_each_kept_once()
    {
        var response = await Office.GetAsync(TownZip);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var scorecards = (await Store.ListDocumentsAsync(fixture.TownRunId)).Where(d => d.Kind == DocumentKind.Scorecard).ToList();
        using var zip = new ZipArchive(new MemoryStream(bytes));
        Assert.Equal(scorecards.Count, zip.Entries.Count);
        Assert.All(zip.Entries, e => Assert.Equal((ScorecardArchiveTime, e.Length), (e.LastWriteTime, e.CompressedLength)));
        // Stored entries: the archive is the scorecards' bytes and 98 bytes of headers and names a scorecard (9-digit town
        // codes), and 22 of end record.
        Assert.Equal(scorecards.Sum(d => d.Length) + scorecards.Count * (30 + 13 + 46 + 13) + 22, bytes.LongLength);
        Assert.Equal(bytes.LongLength, response.Content.Headers.ContentLength);
        // Nothing of it is stored: the store has no archive table, only the documents.
        var path = ((BaiQianWan.Assess.Store.Sqlite.SqliteAssessStore)Store).Path;
        Assert.Equal(0L, Exec(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'run_archive' AND $id IS NOT NULL;", fixture.TownRunId));
    }

    [Fact]
    public async Task A_period_published_as_the_store_alone_does_it_downloads_its_archive_the_same_every_time()
    {
        var queued = await (await Office.PostAsync("/api/evaluations",
            Api.Json("""{"period":"2025Q3","level":"county","ruleset":"county-2025","version":null}"""))).JsonAsync(HttpStatusCode.Accepted);
        var runId = queued.GetProperty("id").GetString()!;
        Assert.Equal("succeeded", (await Api.WaitForRunAsync(Office, runId)).GetProperty("status").GetString());
        await Store.PublishAsync(runId, "office", DateTimeOffset.UtcNow);

        const string url = "/api/periods/2025Q3/scorecards.zip?level=county";
        var first = await Office.GetAsync(url);
        var bytes = await first.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(runId, first.Headers.GetValues("X-Run-Id").Single());
        using var zip = new ZipArchive(new MemoryStream(bytes));
        var scorecards = (await Store.ListDocumentsAsync(runId)).Where(d => d.Kind == DocumentKind.Scorecard).ToList();
        Assert.Equal(scorecards.Select(d => d.Key + ".pdf"), zip.Entries.Select(e => e.FullName));
        Assert.All(zip.Entries, e => Assert.Equal(ScorecardArchiveTime, e.LastWriteTime));
        var again = await Office.GetAsync(url);
        Assert.Equal(first.Headers.ETag, again.Headers.ETag);
        Assert.Equal(bytes, await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(runId, (await Store.GetPublicationAsync(Period.OfQuarter(2025, 3), UnitLevel.County))!.RunId);
    }

    [Theory]
    [InlineData("substr(content, 1, length(content) / 2)")]
    [InlineData("zeroblob(length(content))")]
    public async Task A_damaged_stored_scorecard_is_a_503_with_one_warning_never_a_wrong_or_truncated_200(string damage)
    {
        // Issue 19 item 6: a ZIP was sent as 200 and cut at 12.9 of 15.1 MB. Every scorecard is checked against the length
        // and SHA-256 recorded when it was saved before a byte is sent.
        var good = await Office.GetByteArrayAsync(TownZip);
        var path = ((BaiQianWan.Assess.Store.Sqlite.SqliteAssessStore)Store).Path;
        var key = (await Store.ListDocumentsAsync(fixture.TownRunId)).First(d => d.Kind == DocumentKind.Scorecard).Key;
        var original = (await Store.GetDocumentAsync(fixture.TownRunId, DocumentKind.Scorecard, key))!;
        ExecDocument(path, $"UPDATE document SET content = {damage} WHERE run_id = $id AND kind = 'scorecard' AND key = $key; SELECT 0;",
            fixture.TownRunId, key, null);
        var damaged = (await Store.GetDocumentAsync(fixture.TownRunId, DocumentKind.Scorecard, key))!.Content;
        Assert.NotEqual(original.Sha256, Sha(damaged));
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
            var response = await Office.GetAsync(TownZip);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.JsonAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal($"运行 {fixture.TownRunId} 的记分卡已损坏，归档暂时不能下载", problem.GetProperty("detail").GetString());
            Assert.Equal([$"运行 {fixture.TownRunId} 的记分卡归档无法组装：运行 {fixture.TownRunId} 的记分卡 {key} 的 SHA-256 应为 {original.Sha256}，实为 {Sha(damaged)}"],
                warned);
        }
        finally
        {
            service.Warn = log;
            ExecDocument(path, "UPDATE document SET content = $content WHERE run_id = $id AND kind = 'scorecard' AND key = $key; SELECT 0;",
                fixture.TownRunId, key, original.Content);
        }
        Assert.Equal(good, await Office.GetByteArrayAsync(TownZip));
    }

    private static long ExecDocument(string path, string sql, string runId, string key, byte[]? content)
    {
        using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$id", runId);
        cmd.Parameters.AddWithValue("$key", key);
        if (content is not null) cmd.Parameters.AddWithValue("$content", content);
        return (long)cmd.ExecuteScalar()!;
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
