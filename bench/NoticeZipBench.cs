using System.Diagnostics;
using System.Globalization;
using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Scorecards;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Documents;

namespace BaiQianWan.Assess.Bench;

/// <summary>
/// The town level's scorecard archive under notice (公示稿 on every entry): `noticezip [--count 1607] [--uncached]`. A SQLite store holds a
/// run with <c>count</c> scorecards: one real town scorecard of the generated province (2025Q3) rendered once, each copy
/// made distinct by a trailing comment after its <c>%%EOF</c> (its own SHA-256, so the cache keeps one entry per copy as it
/// would per unit). Times the archive's download (open: every entry stamped for its length and CRC-32; then every byte read)
/// through <see cref="ServedDocuments.Serve"/>: cold (empty cache) and warm (the same notice again), wall and CPU, with the
/// stamps counted; one stamp on one thread; with <c>--uncached</c> first the same download without the cache (every entry
/// stamped twice, as before it).
/// </summary>
internal static class NoticeZipBench
{
    private static readonly DocumentStamp Stamp = new("bench-run", new DateTimeOffset(2025, 10, 8, 1, 30, 0, TimeSpan.Zero), true);

    public static int Run(TextWriter output, string[] args)
    {
        var count = 1607;
        for (var i = 0; i < args.Length - 1; i++)
            if (args[i] == "--count") count = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
        var uncached = args.Contains("--uncached");
        output.WriteLine($"uptime before: {Uptime()}");
        var town = ScorecardBenchmarks.Evaluate(new Workload(1))[1];
        var code = town.Units[0].Code;
        var pdf = ScorecardRenderer.RenderScorecard(town, code, Stamp).Pdf;
        var path = Path.Combine(Path.GetTempPath(), $"bqw-noticezip-{Environment.ProcessId}.db");
        try
        {
            return RunAsync(output, path, pdf, town.Units.Select(u => u.Code).ToArray(), count, uncached).GetAwaiter().GetResult();
        }
        finally
        {
            foreach (var f in new[] { path, path + "-wal", path + "-shm" }) File.Delete(f);
        }
    }

    private static async Task<int> RunAsync(TextWriter output, string path, byte[] pdf, string[] codes, int count, bool uncached)
    {
        await using var store = new SqliteAssessStore(path);
        await store.InitializeAsync();
        var service = new AssessmentService(store, TimeProvider.System, null);
        var ruleset = await service.AddRulesetAsync(BaiQianWan.Assess.Samples.SampleRulesets.Town, "town.yaml", "bench");
        var run = await store.CreateRunAsync(new RunRequest(Workload.Period, UnitLevel.Town, ruleset.RulesetId, ruleset.Version, "bench", DateTimeOffset.UtcNow));
        await store.StartRunAsync(run.Id, DateTimeOffset.UtcNow);
        var documents = new List<StoredDocument>(count);
        for (var i = 0; i < count; i++)
        {
            var key = i < codes.Length ? codes[i] : $"X{i:D5}";
            documents.Add(StoredDocument.Of(DocumentKind.Scorecard, key, [.. pdf, .. Encoding.ASCII.GetBytes($"% copy {i:D5}\n")]));
        }
        foreach (var chunk in documents.Chunk(200)) await store.SaveDocumentsAsync(run.Id, chunk);
        var bytes = documents.Sum(d => d.Content.LongLength);
        documents.Clear();
        output.WriteLine($"store: {count} scorecards, {bytes:N0} bytes (one rendered town scorecard of {pdf.Length:N0} bytes, copies made distinct)");

        var mark = new NoticeMark("2026-03-15 24:00（北京时间）", null, $"2025Q3\ntown\n{run.Id}\nprovisional\nrevision=1\n2026-03-15T16:00:00.0000000Z");
        // One stamp on one thread (warm after a few): what the former archive paid twice per entry, one entry at a time.
        for (var i = 0; i < 5; i++) mark.Apply(pdf, false);
        var single = Stopwatch.StartNew();
        const int Singles = 20;
        for (var i = 0; i < Singles; i++) mark.Apply(pdf, false);
        var perStamp = single.Elapsed.TotalMilliseconds / Singles;
        output.WriteLine($"one stamp, one thread: {perStamp:F1} ms (former archive ≈ 2 × {count} × that = {2 * count * perStamp / 1000:F0} s)");

        if (uncached)
        {
            // Without the cache (ServedDocuments.Apply): every entry stamped in the first pass (in parallel, as now) and again
            // as the stream reaches it (one at a time), as before the cache.
            var (wall, cpu, length) = await DownloadAsync(store, run.Id, d => ServedDocuments.Apply(mark, d));
            output.WriteLine($"uncached: {wall:F0} ms wall, {cpu:F0} ms CPU, {length:N0} bytes");
        }
        var served = new ServedDocuments(store, null);
        var (coldWall, coldCpu, coldLength) = await DownloadAsync(store, run.Id, d => served.Serve(mark, d));
        output.WriteLine($"cold: {coldWall:F0} ms wall, {coldCpu:F0} ms CPU, {coldLength:N0} bytes, stamps {served.Stamps.Stamps}, cache {served.Stamps.Count} entries / {served.Stamps.Bytes:N0} bytes, processors {Environment.ProcessorCount}");
        var stamps = served.Stamps.Stamps;
        var (warmWall, warmCpu, warmLength) = await DownloadAsync(store, run.Id, d => served.Serve(mark, d));
        output.WriteLine($"warm: {warmWall:F0} ms wall, {warmCpu:F0} ms CPU, {warmLength:N0} bytes, new stamps {served.Stamps.Stamps - stamps}");
        output.WriteLine($"uptime after: {Uptime()}");
        return coldLength == warmLength ? 0 : 1;
    }

    private static async Task<(double Wall, double Cpu, long Length)> DownloadAsync(IRunStore store, string runId, Func<StoredDocument, StoredDocument> serve)
    {
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        await using var archive = await ScorecardArchive.OpenAsync(store, runId, serve);
        var buffer = new byte[81920];
        long read = 0;
        int n;
        while ((n = await archive.Content.ReadAsync(buffer)) > 0) read += n;
        sw.Stop();
        process.Refresh();
        if (read != archive.Length) throw new InvalidOperationException($"read {read} of {archive.Length} bytes");
        return (sw.Elapsed.TotalMilliseconds, (process.TotalProcessorTime - cpu).TotalMilliseconds, read);
    }

    private static string Uptime()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Trim();
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
