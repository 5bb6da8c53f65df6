using System.IO.Compression;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Tests.Scorecards;
using BaiQianWan.Assess.Tests.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Reviews;

namespace BaiQianWan.Assess.Tests.Reviews;

/// <summary>
/// The 公示稿 marks and the final bulletin's counts on the real PDFs (PDFsharp renderer, SQLite, a clock standing where each
/// step puts it), as every download path of the workflow serves them: a scorecard and a bulletin (the API's and the portal's
/// downloads), an entry of the scorecard archive, a month's documents, the export. Read back with pdftotext.
/// </summary>
public sealed class NoticeMarkTests : IAsyncLifetime
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    // Published 2026-03-10 15:00 China time with 5 days: requests until 2026-03-15 24:00.
    private static readonly DateTimeOffset Published = new(2026, 3, 10, 15, 0, 0, China);

    private const string Mark = "公示稿";
    private const string Deadline5 = "复核申请截止2026-03-1524:00（北京时间）";
    private const string Deadline3 = "复核申请截止2026-03-1924:00（北京时间）";

    private readonly TempSqlite _file = new();
    private readonly TestClock _clock = new(Published);
    private SqliteAssessStore _store = null!;
    private AssessmentService _service = null!;

    private ReviewService Reviews => _service.Reviews!;

    private static readonly ReviewActor Office = ReviewActor.Office("office");

    private static ReviewActor Unit(string code) => ReviewActor.OfUnit($"u-{code}", code);

    public async Task InitializeAsync()
    {
        _store = await _file.OpenAsync();
        _service = new AssessmentService(_store, _clock, new PdfDocumentRenderer(parallelism: 1));
        await _service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await _service.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
        await _service.ImportObservationsAsync(Mini.Bytes(MiniMonth.ObservationsCsv), "months.csv", "office");
        await _service.ActivateRulesetAsync("mini", (await _service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author")).Version, "chief");
        await _service.ActivateRulesetAsync("mini-monthly", (await _service.AddRulesetAsync(MiniMonth.MonitorYaml, "m.yaml", "author")).Version, "chief");
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _file.DisposeAsync();
    }

    private Task<EvaluationRun> RunQ2Async() => _service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");

    private async Task<byte[]> StoredAsync(string runId, DocumentKind kind, string key) => (await _store.GetDocumentAsync(runId, kind, key))!.Content;

    private async Task<byte[]> ServedAsync(string runId, DocumentKind kind, string key) => (await _service.ServeDocumentAsync(runId, kind, key))!.Content;

    private async Task<byte[]> ArchiveAsync(string runId)
    {
        await using var archive = await _service.OpenArchiveAsync(runId);
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

    private static int Pages(byte[] pdf) =>
        int.Parse(System.Text.RegularExpressions.Regex.Match(Pdf.Info(pdf), @"Pages:\s+(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Asserts 公示稿 and the deadline on every page of the PDF, and returns its text.</summary>
    private static string AssertMarkedOnEveryPage(byte[] pdf, string deadline)
    {
        var pages = Pages(pdf);
        Assert.True(pages >= 1);
        for (var p = 1; p <= pages; p++)
        {
            var text = Pdf.Flat(Pdf.PageText(pdf, p));
            Assert.Contains(Mark, text);
            Assert.Contains(deadline, text);
        }
        return Pdf.Flat(Pdf.Text(pdf));
    }

    private static void AssertUnmarked(byte[] pdf)
    {
        var text = Pdf.Flat(Pdf.Text(pdf));
        Assert.DoesNotContain(Mark, text);
        Assert.DoesNotContain("复核申请截止", text);
    }

    [Fact]
    public async Task A_provisional_publication_is_marked_on_every_download_and_its_final_bulletin_states_the_counts()
    {
        var run1 = await RunQ2Async();
        var stored = await StoredAsync(run1.Id, DocumentKind.Scorecard, "A1");
        AssertUnmarked(stored);
        // Not published yet: the office's review reads the stored bytes.
        Assert.Equal(stored, await ServedAsync(run1.Id, DocumentKind.Scorecard, "A1"));

        await Reviews.PublishAsync(run1.Id, Office, noticeDays: 5);

        // The scorecard, the bulletin, the archive's entry: 公示稿 with the deadline on every page, the figures still there.
        var card = await ServedAsync(run1.Id, DocumentKind.Scorecard, "A1");
        var cardText = AssertMarkedOnEveryPage(card, Deadline5);
        Assert.Contains("甲一县", cardText);
        Assert.Contains("90.50", cardText);
        Assert.Equal(Pages(stored), Pages(card));
        var bulletin = await ServedAsync(run1.Id, DocumentKind.Bulletin, "甲");
        var bulletinText = AssertMarkedOnEveryPage(bulletin, Deadline5);
        Assert.DoesNotContain("公示期间收到复核申请", bulletinText);
        var zip = await ArchiveAsync(run1.Id);
        Assert.Equal(card, Entry(zip, "A1.pdf"));
        AssertMarkedOnEveryPage(Entry(zip, "B2.pdf"), Deadline5);

        // Deterministic: the same notice gives the same bytes, download after download (and the archive's).
        Assert.Equal(card, await ServedAsync(run1.Id, DocumentKind.Scorecard, "A1"));
        Assert.Equal(bulletin, await ServedAsync(run1.Id, DocumentKind.Bulletin, "甲"));
        Assert.Equal(zip, await ArchiveAsync(run1.Id));
        // The stored documents are untouched.
        Assert.Equal(stored, await StoredAsync(run1.Id, DocumentKind.Scorecard, "A1"));

        // Requests: B1 (corrected), B2 (withdrawn), A1 (upheld); the correction run published with 3 days.
        await Reviews.FileAsync(run1.Id, Unit("B1"), ReviewTargetKind.Indicator, "fai", "投资额漏报了一个项目", []);
        await Reviews.FileAsync(run1.Id, Unit("B2"), ReviewTargetKind.Indicator, "rev", "收入口径有误", []);
        await Reviews.FileAsync(run1.Id, Unit("A1"), ReviewTargetKind.Adjustment, "honor", "荣誉应按两项计", []);
        _clock.Now = Published.AddDays(2);
        await Reviews.AnswerAsync("rv-000001", Office, correct: true, "核实漏报，更正数据");
        await Reviews.AnswerAsync("rv-000003", Office, correct: false, "荣誉按文件只计一项");
        await Reviews.WithdrawAsync("rv-000002", Unit("B2"), "已弄清口径");
        await _service.ImportObservationsAsync(Mini.Bytes("unit,indicator,period,actual,target,baseline\nB1,fai,2025Q2,50,50,\n"), "b1.csv", "office");
        var run2 = await RunQ2Async();
        _clock.Now = new DateTimeOffset(2026, 3, 16, 10, 0, 0, China);
        await Reviews.PublishAsync(run2.Id, Office, noticeDays: 3);

        // The replaced run is served as stored; the new one carries its own deadline.
        Assert.Equal(stored, await ServedAsync(run1.Id, DocumentKind.Scorecard, "A1"));
        var card2 = await ServedAsync(run2.Id, DocumentKind.Scorecard, "B1");
        var card2Text = AssertMarkedOnEveryPage(card2, Deadline3);
        Assert.DoesNotContain(Deadline5, card2Text);
        Assert.Contains("100.00", card2Text);

        // One more request on the correction, upheld; after the deadline the office makes it final.
        await Reviews.FileAsync(run2.Id, Unit("A2"), ReviewTargetKind.Indicator, "fai", "投资完成率封顶有误", []);
        await Reviews.AnswerAsync("rv-000004", Office, correct: false, "按规则封顶 120%");
        _clock.Now = new DateTimeOffset(2026, 3, 20, 0, 0, 0, China);
        var final = await Reviews.MakeFinalAsync(Mini.Q2, UnitLevel.County, Office);
        Assert.Equal(NoticeState.Final, final.State);

        // Final: the scorecards (and so the archive) are the stored bytes again; each bulletin states N = 4 filed, M = 1 corrected.
        Assert.Equal(await StoredAsync(run2.Id, DocumentKind.Scorecard, "B1"), await ServedAsync(run2.Id, DocumentKind.Scorecard, "B1"));
        await using (var plain = await ScorecardArchive.OpenAsync(_store, run2.Id))
        {
            using var memory = new MemoryStream();
            await plain.Content.CopyToAsync(memory);
            Assert.Equal(memory.ToArray(), await ArchiveAsync(run2.Id));
        }
        foreach (var @class in new[] { "甲", "乙" })
        {
            var finalBulletin = await ServedAsync(run2.Id, DocumentKind.Bulletin, @class);
            var text = Pdf.Flat(Pdf.PageText(finalBulletin, 1));
            Assert.Contains("公示期间收到复核申请4件，更正1件", text);
            AssertUnmarked(finalBulletin);
            Assert.Equal(finalBulletin, await ServedAsync(run2.Id, DocumentKind.Bulletin, @class));
        }
        Assert.Equal((4, 1), (await Reviews.CountAsync(Mini.Q2, UnitLevel.County)) is var c ? (c.Filed, c.Corrected) : default);
        var finalBytes = await ServedAsync(run2.Id, DocumentKind.Bulletin, "乙");

        // A final publication never changes: a later provisional publication with a request of its own, withdrawn, restores
        // run2's final publication, whose bulletin is byte for byte what it was (its counts stood when it was made final).
        var run3 = await RunQ2Async();
        _clock.Now = new DateTimeOffset(2026, 4, 1, 9, 0, 0, China);
        await Reviews.PublishAsync(run3.Id, Office, noticeDays: 2);
        await Reviews.FileAsync(run3.Id, Unit("B2"), ReviewTargetKind.Indicator, "fai", "再看一次", []);
        Assert.Equal(5, (await Reviews.CountAsync(Mini.Q2, UnitLevel.County)).Filed);
        AssertMarkedOnEveryPage(await ServedAsync(run3.Id, DocumentKind.Bulletin, "乙"), "复核申请截止2026-04-0324:00（北京时间）");
        await Reviews.WithdrawPublicationAsync(run3.Id, Office, "数据重报");
        Assert.Equal((run2.Id, NoticeState.Final), (await Reviews.GetNoticeAsync(Mini.Q2, UnitLevel.County)) is { } n ? (n.RunId, n.State) : default);
        Assert.Equal(finalBytes, await ServedAsync(run2.Id, DocumentKind.Bulletin, "乙"));
    }

    [Fact]
    public async Task A_publication_made_final_directly_is_served_byte_for_byte_as_stored_with_nothing_new_printed()
    {
        var run = await RunQ2Async();
        await Reviews.PublishAsync(run.Id, Office, noticeDays: null);

        var documents = await _store.ListDocumentsAsync(run.Id);
        Assert.Equal(6, documents.Count);
        foreach (var info in documents)
        {
            var stored = (await _store.GetDocumentAsync(run.Id, info.Kind, info.Key))!;
            var served = (await _service.ServeDocumentAsync(run.Id, info.Kind, info.Key))!;
            Assert.Equal(stored.Sha256, served.Sha256);
            Assert.Equal(stored.Content, served.Content);
        }
        var bulletinText = Pdf.Flat(Pdf.Text(await ServedAsync(run.Id, DocumentKind.Bulletin, "甲")));
        Assert.DoesNotContain("公示期间收到复核申请", bulletinText);
        AssertUnmarked(await ServedAsync(run.Id, DocumentKind.Bulletin, "甲"));
        // The bytes are today's: what the renderer gives again from the stored results, and the archive as before.
        var again = await _service.RerenderAsync(run.Id);
        Assert.Equal(documents.Select(d => d.Sha256).Order(StringComparer.Ordinal), again.Select(d => d.Sha256).Order(StringComparer.Ordinal));
        await using var plain = await ScorecardArchive.OpenAsync(_store, run.Id);
        await using var served2 = await _service.OpenArchiveAsync(run.Id);
        Assert.Equal((plain.Tag, plain.Length), (served2.Tag, served2.Length));
    }

    [Fact]
    public async Task A_month_published_provisionally_marks_its_unit_pages_and_bulletin_and_its_final_bulletin_states_the_counts_after_its_notice()
    {
        var run = await _service.RunAsync(MiniMonth.June, UnitLevel.County, "mini-monthly", null, "office");
        await Reviews.PublishAsync(run.Id, Office, noticeDays: 5);

        var page = await ServedAsync(run.Id, DocumentKind.Scorecard, "A2");
        Assert.Contains("甲二县", AssertMarkedOnEveryPage(page, Deadline5));
        var bulletin = await ServedAsync(run.Id, DocumentKind.Bulletin, "county");
        AssertMarkedOnEveryPage(bulletin, Deadline5);
        Assert.Equal(page, await ServedAsync(run.Id, DocumentKind.Scorecard, "A2"));

        // Final after the deadline with no request: the bulletin states 0 and 0, the unit page is as stored.
        _clock.Now = new DateTimeOffset(2026, 3, 16, 0, 0, 0, China);
        await Reviews.MakeFinalAsync(MiniMonth.June, UnitLevel.County, Office);

        Assert.Equal(await StoredAsync(run.Id, DocumentKind.Scorecard, "A2"), await ServedAsync(run.Id, DocumentKind.Scorecard, "A2"));
        var finalBulletin = await ServedAsync(run.Id, DocumentKind.Bulletin, "county");
        Assert.Contains("公示期间收到复核申请0件，更正0件", Pdf.Flat(Pdf.PageText(finalBulletin, 1)));
        AssertUnmarked(finalBulletin);
    }

    [Fact]
    public async Task The_portals_pdf_links_serve_the_marked_documents_to_the_unit_and_the_office()
    {
        var quarter = await RunQ2Async();
        var month = await _service.RunAsync(MiniMonth.June, UnitLevel.County, "mini-monthly", null, "office");
        await Reviews.PublishAsync(quarter.Id, Office, noticeDays: 5);
        await Reviews.PublishAsync(month.Id, Office, noticeDays: 5);
        var pages = new BaiQianWan.Assess.Portal.Building.PortalPages(_service, null, _clock);
        var a1 = new BaiQianWan.Assess.Portal.Auth.PortalUser("a1", "甲一县", AccountRole.Unit, "A1");
        var office = new BaiQianWan.Assess.Portal.Auth.PortalUser("office", "考核办", AccountRole.Office, null);

        // The unit's scorecard and bulletin links, the office's run review links, the unit's month page and month bulletin.
        var card = (await pages.DocumentAsync(a1, "A1", Mini.Q2, DocumentKind.Scorecard)).Content;
        Assert.Contains("甲一县", AssertMarkedOnEveryPage(card, Deadline5));
        Assert.Equal(await ServedAsync(quarter.Id, DocumentKind.Scorecard, "A1"), card);
        AssertMarkedOnEveryPage((await pages.DocumentAsync(a1, "A1", Mini.Q2, DocumentKind.Bulletin)).Content, Deadline5);
        AssertMarkedOnEveryPage((await pages.RunDocumentAsync(office, quarter.Id, DocumentKind.Scorecard, "B2")).Document.Content, Deadline5);
        AssertMarkedOnEveryPage((await pages.RunDocumentAsync(office, quarter.Id, DocumentKind.Bulletin, "乙")).Document.Content, Deadline5);
        AssertMarkedOnEveryPage((await pages.MonthDocumentAsync(a1, "A1", MiniMonth.June, DocumentKind.Scorecard)).Content, Deadline5);
        AssertMarkedOnEveryPage((await pages.MonthDocumentAsync(a1, "A1", MiniMonth.June, DocumentKind.Bulletin)).Content, Deadline5);

        // Final after the deadline: the same links serve the stored scorecard, and the bulletin with its counts (none filed).
        _clock.Now = new DateTimeOffset(2026, 3, 16, 0, 0, 0, China);
        await Reviews.MakeFinalAsync(Mini.Q2, UnitLevel.County, Office);
        Assert.Equal(await StoredAsync(quarter.Id, DocumentKind.Scorecard, "A1"), (await pages.DocumentAsync(a1, "A1", Mini.Q2, DocumentKind.Scorecard)).Content);
        var bulletin = (await pages.DocumentAsync(a1, "A1", Mini.Q2, DocumentKind.Bulletin)).Content;
        AssertUnmarked(bulletin);
        Assert.Contains("公示期间收到复核申请0件，更正0件", Pdf.Flat(Pdf.Text(bulletin)));
        // The month is still under notice.
        AssertMarkedOnEveryPage((await pages.MonthDocumentAsync(a1, "A1", MiniMonth.June, DocumentKind.Scorecard)).Content, Deadline5);
    }

    [Fact]
    public async Task The_export_writes_the_documents_as_downloads_serve_them()
    {
        var run = await RunQ2Async();
        await Reviews.PublishAsync(run.Id, Office, noticeDays: 5);
        var directory = Directory.CreateTempSubdirectory("bqw-marks-").FullName;
        try
        {
            await _service.ExportPublishedAsync(Mini.Q2, directory);
            var card = await File.ReadAllBytesAsync(Path.Combine(directory, "county", "scorecards", "B1.pdf"));
            Assert.Equal(await ServedAsync(run.Id, DocumentKind.Scorecard, "B1"), card);
            AssertMarkedOnEveryPage(card, Deadline5);
            AssertMarkedOnEveryPage(await File.ReadAllBytesAsync(Path.Combine(directory, "county", "bulletins", "乙.pdf")), Deadline5);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
