using System.IO.Compression;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Scorecards;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Tests.Scorecards;
using BaiQianWan.Assess.Tests.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Documents;
using BaiQianWan.Assess.Workflow.Reviews;

namespace BaiQianWan.Assess.Tests.Reviews;

/// <summary>
/// The cache of stamped documents (<see cref="StampCache"/> in <see cref="ServedDocuments"/>): every stamp call counted through
/// the cache's stamp seam (the real <see cref="NoticeMark.Apply"/> behind it), on the real PDFs of a SQLite store. The bytes are
/// compared with <see cref="ServedDocuments.Apply"/>, which stamps every time with no cache.
/// </summary>
public sealed class StampCacheTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Published = new(2026, 3, 10, 15, 0, 0, TimeSpan.FromHours(8));
    private static readonly ReviewActor Office = ReviewActor.Office("office");

    private readonly TempSqlite _file = new();
    private readonly TestClock _clock = new(Published);
    private SqliteAssessStore _store = null!;
    private AssessmentService _service = null!;
    private int _calls;
    private ServedDocuments _served = null!;

    public async Task InitializeAsync()
    {
        _store = await _file.OpenAsync();
        _service = new AssessmentService(_store, _clock, new PdfDocumentRenderer(parallelism: 1));
        await _service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await _service.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
        await _service.ActivateRulesetAsync("mini", (await _service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author")).Version, "chief");
        _served = new ServedDocuments(_store, _service.Reviews, new StampCache(stamp: (mark, pdf, bulletin) =>
        {
            Interlocked.Increment(ref _calls);
            return mark.Apply(pdf, bulletin);
        }));
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _file.DisposeAsync();
    }

    private async Task<byte[]> ArchiveAsync(string runId)
    {
        var mark = await _served.MarkAsync(runId);
        await using var archive = await ScorecardArchive.OpenAsync(_store, runId, mark is null ? null : d => _served.Serve(mark, d));
        using var memory = new MemoryStream();
        await archive.Content.CopyToAsync(memory);
        Assert.Equal(archive.Length, memory.Length);
        return memory.ToArray();
    }

    private static byte[] Entry(byte[] zip, string name)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        using var entry = archive.GetEntry(name)!.Open();
        using var memory = new MemoryStream();
        entry.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>What the service served before the cache: the stored document stamped afresh.</summary>
    private async Task<byte[]> UncachedAsync(string runId, DocumentKind kind, string key) =>
        ServedDocuments.Apply(await _served.MarkAsync(runId), (await _store.GetDocumentAsync(runId, kind, key))!).Content;

    private async Task<IReadOnlyList<DocumentInfo>> ScorecardsAsync(string runId) =>
        [.. (await _store.ListDocumentsAsync(runId)).Where(d => d.Kind == DocumentKind.Scorecard)];

    [Fact]
    public async Task The_archive_stamps_each_scorecard_once_and_every_later_download_reads_the_cache()
    {
        var run = await _service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");
        await _service.Reviews!.PublishAsync(run.Id, Office, noticeDays: 5);
        var scorecards = await ScorecardsAsync(run.Id);
        Assert.Equal(4, scorecards.Count);

        // The first pass (lengths, CRCs) stamps each scorecard once; the streaming pass stamps nothing.
        var zip = await ArchiveAsync(run.Id);
        Assert.Equal(4, _calls);
        Assert.Equal(4, _served.Stamps.Stamps);
        Assert.Equal(4, _served.Stamps.Hits);
        Assert.Equal(4, _served.Stamps.Count);

        // A second archive, single downloads of each scorecard: no new stamp; the bytes are the uncached service's.
        Assert.Equal(zip, await ArchiveAsync(run.Id));
        foreach (var info in scorecards)
        {
            var served = (await _served.GetAsync(run.Id, DocumentKind.Scorecard, info.Key))!;
            var fresh = await UncachedAsync(run.Id, DocumentKind.Scorecard, info.Key);
            Assert.Equal(fresh, served.Content);
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(fresh)), served.Sha256);
            Assert.Equal(fresh, Entry(zip, $"{info.Key}.pdf"));
            Assert.NotEqual((await _store.GetDocumentAsync(run.Id, DocumentKind.Scorecard, info.Key))!.Content, served.Content);
        }
        Assert.Equal(4, _calls);
        Assert.Equal(16, _served.Stamps.Hits);
        // The service's own download path (its own cache) gives the same archive.
        await using (var service = await _service.OpenArchiveAsync(run.Id))
        {
            using var memory = new MemoryStream();
            await service.Content.CopyToAsync(memory);
            Assert.Equal(zip, memory.ToArray());
        }

        // A bulletin is stamped once too, and apart from the scorecards.
        var bulletin = (await _served.GetAsync(run.Id, DocumentKind.Bulletin, "甲"))!.Content;
        Assert.Equal(bulletin, (await _served.GetAsync(run.Id, DocumentKind.Bulletin, "甲"))!.Content);
        Assert.Equal(5, _calls);
        Assert.Equal(await UncachedAsync(run.Id, DocumentKind.Bulletin, "甲"), bulletin);
    }

    [Fact]
    public async Task A_new_notice_revision_is_stamped_again_and_the_final_publication_is_served_as_before()
    {
        var run = await _service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");
        var reviews = _service.Reviews!;
        await reviews.PublishAsync(run.Id, Office, noticeDays: 5);
        var first = (await _served.GetAsync(run.Id, DocumentKind.Scorecard, "A1"))!.Content;
        Assert.Equal(1, _calls);

        // Withdrawn and published again with another deadline: a new revision, so a new stamp and other bytes.
        await reviews.WithdrawPublicationAsync(run.Id, Office, "期限有误");
        Assert.Null(await _served.MarkAsync(run.Id));
        var stored = (await _store.GetDocumentAsync(run.Id, DocumentKind.Scorecard, "A1"))!.Content;
        Assert.Equal(stored, (await _served.GetAsync(run.Id, DocumentKind.Scorecard, "A1"))!.Content);
        Assert.Equal(1, _calls);
        _clock.Now = Published.AddDays(1);
        await reviews.PublishAsync(run.Id, Office, noticeDays: 3);
        var second = (await _served.GetAsync(run.Id, DocumentKind.Scorecard, "A1"))!.Content;
        Assert.Equal(2, _calls);
        Assert.NotEqual(first, second);
        Assert.Equal(await UncachedAsync(run.Id, DocumentKind.Scorecard, "A1"), second);
        Assert.Contains("复核申请截止2026-03-1424:00", Pdf.Flat(Pdf.Text(second)));
        Assert.Equal(second, (await _served.GetAsync(run.Id, DocumentKind.Scorecard, "A1"))!.Content);
        Assert.Equal(2, _calls);

        // Final after the deadline: scorecards as stored (nothing stamped, the provisional entries not served), the bulletin
        // with the counts stamped once, byte for byte what the uncached service gives.
        _clock.Now = Published.AddDays(10);
        await reviews.MakeFinalAsync(Mini.Q2, UnitLevel.County, Office);
        Assert.Equal(stored, (await _served.GetAsync(run.Id, DocumentKind.Scorecard, "A1"))!.Content);
        Assert.Equal(stored, Entry(await ArchiveAsync(run.Id), "A1.pdf"));
        Assert.Equal(2, _calls);
        var final = (await _served.GetAsync(run.Id, DocumentKind.Bulletin, "甲"))!.Content;
        Assert.Equal(3, _calls);
        Assert.Equal(await UncachedAsync(run.Id, DocumentKind.Bulletin, "甲"), final);
        Assert.Equal(final, (await _served.GetAsync(run.Id, DocumentKind.Bulletin, "甲"))!.Content);
        Assert.Equal(3, _calls);
        var finalText = Pdf.Flat(Pdf.Text(final));
        Assert.Contains("公示期间收到复核申请0件，更正0件", finalText);
        Assert.DoesNotContain("公示稿", finalText);
    }

    [Fact]
    public void The_cache_drops_the_least_recently_used_entries_beyond_its_capacity()
    {
        var calls = 0;
        var cache = new StampCache(capacity: 250, stamp: (_, pdf, _) =>
        {
            calls++;
            return [.. pdf, .. "%stamped"u8.ToArray()];
        });
        var mark = new NoticeMark("2026-03-15 24:00（北京时间）", null, "seed-1");
        StoredDocument Doc(string key, int size) => StoredDocument.Of(DocumentKind.Scorecard, key, [.. "%PDF-"u8.ToArray(), .. new byte[size], (byte)key[0]]);
        var a = Doc("a", 100);
        var b = Doc("b", 100);
        var c = Doc("c", 100);
        Assert.Equal([.. a.Content, .. "%stamped"u8.ToArray()], cache.Serve(mark, a, false).Content);
        cache.Serve(mark, b, false);
        Assert.Equal((2, 2, 228L), (calls, cache.Count, cache.Bytes));
        cache.Serve(mark, a, false); // a is now the most recently used
        cache.Serve(mark, c, false); // over 250 bytes: b goes
        Assert.Equal((3, 2, 228L), (calls, cache.Count, cache.Bytes));
        cache.Serve(mark, a, false);
        cache.Serve(mark, c, false);
        Assert.Equal(3, calls);
        cache.Serve(mark, b, false);
        Assert.Equal(4, calls);
        // Another mark (revision), or the same bytes served as a bulletin with a statement: other entries.
        cache.Serve(mark with { Seed = "seed-2" }, b, false);
        Assert.Equal(5, calls);
        // A mark that draws nothing: the document itself, no stamp.
        var statementOnly = new NoticeMark(null, "公示期间收到复核申请 0 件，更正 0 件", "seed-3");
        Assert.Same(b, cache.Serve(statementOnly, b, false));
        Assert.Equal(5, calls);
        // Capacity 0: nothing kept.
        var none = new StampCache(0, (_, pdf, _) => { calls++; return [.. pdf, 1]; });
        none.Serve(mark, a, false);
        none.Serve(mark, a, false);
        Assert.Equal((7, 0, 0L), (calls, none.Count, none.Bytes));
    }
}
