using System.IO.Compression;
using System.Net;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Scorecards;
using BaiQianWan.Assess.Tests.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Reviews;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// The API's downloads of a provisional and then final publication with the real PDF renderer: the scorecard (office and the
/// unit), the class bulletin and the scorecards ZIP carry 公示稿 and the deadline while provisional, byte-identical download
/// after download with a matching ETag; once final the scorecards are the stored bytes and the bulletin states the counts.
/// </summary>
[Trait("Cost", "Slow")]
public sealed class NoticeMarkApiTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bqw-marks-api-").FullName;
    private AssessAppFactory _app = null!;
    private HttpClient _office = null!;

    public async Task InitializeAsync()
    {
        _app = new AssessAppFactory("sqlite", Path.Combine(_directory, "marks.db"), renderer: new PdfDocumentRenderer(parallelism: 1));
        _office = _app.Client(_app.Token("office"));
        var q2 = string.Join("\n", Mini.ObservationsCsv.Replace("\r\n", "\n").Split('\n').Where((line, i) => i == 0 || line.Contains("2025Q2", StringComparison.Ordinal))) + "\n";
        await (await _office.PutAsync("/api/units?year=2025&file=units.csv", Api.Csv(Mini.Bytes(Mini.UnitsCsv)))).JsonAsync(HttpStatusCode.OK);
        await (await _office.PutAsync("/api/periods/2025Q2/observations?file=q2.csv", Api.Csv(Mini.Bytes(q2)))).JsonAsync(HttpStatusCode.OK);
        await (await _office.PutAsync("/api/rulesets/mini", Api.Yaml(Mini.RulesetYaml))).JsonAsync(HttpStatusCode.Created);
        await (await _office.PostAsync("/api/rulesets/mini/versions/1/activate", null)).JsonAsync(HttpStatusCode.OK);
    }

    public async Task DisposeAsync()
    {
        _office.Dispose();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private static async Task<(byte[] Body, string ETag)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsByteArrayAsync(), response.Headers.ETag!.Tag);
    }

    private static void AssertMarked(byte[] pdf, string deadline)
    {
        var text = Pdf.Flat(Pdf.Text(pdf));
        Assert.Contains("公示稿", text);
        Assert.Contains(deadline, text);
    }

    [Fact]
    public async Task The_api_serves_a_provisional_publications_pdfs_marked_and_the_final_ones_with_the_counts()
    {
        var accepted = await (await _office.PostAsync("/api/evaluations", Api.Json("""{"period":"2025Q2","level":"county","ruleset":"mini"}""")))
            .JsonAsync(HttpStatusCode.Accepted);
        var run = await Api.WaitForRunAsync(_office, accepted.GetProperty("id").GetString()!);
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        var id = run.GetProperty("id").GetString()!;
        var service = _app.Services.GetRequiredService<AssessmentService>();
        // The app's clock: 2025-10-08 09:00 China time; 5 days → requests until 2025-10-13 24:00.
        await service.Reviews!.PublishAsync(id, ReviewActor.Office("office"), noticeDays: 5);
        const string deadline = "复核申请截止2025-10-1324:00（北京时间）";

        var (card, tag) = await GetAsync(_office, "/api/periods/2025Q2/scorecards/A1.pdf");
        AssertMarked(card, deadline);
        Assert.Equal($"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(card))}\"", tag);
        var again = await GetAsync(_office, "/api/periods/2025Q2/scorecards/A1.pdf");
        Assert.Equal(card, again.Body);
        Assert.Equal(tag, again.ETag);
        using (var a1 = _app.Client(_app.Token("unit", "A1")))
            Assert.Equal(card, (await GetAsync(a1, "/api/periods/2025Q2/scorecards/A1.pdf")).Body);
        var (bulletin, _) = await GetAsync(_office, "/api/periods/2025Q2/bulletins/county/%E7%94%B2.pdf");
        AssertMarked(bulletin, deadline);
        var (zip, zipTag) = await GetAsync(_office, "/api/periods/2025Q2/scorecards.zip?level=county");
        using (var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read))
        {
            Assert.Equal(["A1.pdf", "A2.pdf", "B1.pdf", "B2.pdf"], archive.Entries.Select(e => e.FullName));
            using var entry = new MemoryStream();
            await using (var s = archive.GetEntry("A1.pdf")!.Open()) await s.CopyToAsync(entry);
            Assert.Equal(card, entry.ToArray());
        }
        var zipAgain = await GetAsync(_office, "/api/periods/2025Q2/scorecards.zip?level=county");
        Assert.Equal(zip, zipAgain.Body);
        Assert.Equal(zipTag, zipAgain.ETag);

        // Final after the deadline: the stored scorecard, a new ETag; the bulletin states that no request came.
        _app.Clock.Now = new DateTimeOffset(2025, 10, 14, 0, 0, 0, TimeSpan.FromHours(8));
        await service.Reviews.MakeFinalAsync(Mini.Q2, UnitLevel.County, ReviewActor.Office("office"));
        var (finalCard, finalTag) = await GetAsync(_office, "/api/periods/2025Q2/scorecards/A1.pdf");
        Assert.Equal((await service.GetDocumentAsync(id, DocumentKind.Scorecard, "A1"))!.Content, finalCard);
        Assert.NotEqual(tag, finalTag);
        var finalBulletin = Pdf.Flat(Pdf.Text((await GetAsync(_office, "/api/periods/2025Q2/bulletins/county/%E7%94%B2.pdf")).Body));
        Assert.Contains("公示期间收到复核申请0件，更正0件", finalBulletin);
        Assert.DoesNotContain("公示稿", finalBulletin);
    }
}
