using System.IO.Compression;
using System.Security.Cryptography;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Azure;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Publications;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>
/// Run archives on every store, through the workflow (<see cref="ScorecardArchive"/>): nothing stored at publication, the
/// ZIP assembled on download from the run's stored scorecards (each PDF kept once), its bytes the same for the same
/// documents, its length and tag known before a byte is read, seekable for byte ranges.
/// </summary>
public abstract class ArchiveContractTests : IAsyncLifetime
{
    protected IAssessStore Store { get; private set; } = null!;

    /// <summary>A new empty store, initialized.</summary>
    protected abstract Task<IAssessStore> CreateStoreAsync();

    /// <summary>Removes what <see cref="CreateStoreAsync"/> made.</summary>
    protected abstract Task CleanupAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        await CleanupAsync();
    }

    private AssessmentService Service() => new(Store, new TestClock(), new TestRenderer());

    private async Task<AssessmentService> SeededAsync()
    {
        var service = Service();
        await service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await service.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
        var v = await service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author");
        await service.ActivateRulesetAsync("mini", v.Version, "chief");
        return service;
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static async Task<byte[]> ReadAllAsync(RunArchive archive)
    {
        using var copy = new MemoryStream();
        await archive.Content.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task The_archive_is_every_stored_scorecard_by_unit_code_stored_as_is_with_fixed_times()
    {
        var service = await SeededAsync();
        var run = await service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");
        await service.PublishAsync(run.Id, "chief");

        await using var archive = await service.OpenArchiveAsync(run.Id);
        var bytes = await ReadAllAsync(archive);

        // The oracle: a stored ZIP's size is its local headers (30 bytes and the name), the documents, the central
        // directory (46 bytes and the name each) and the end record (22 bytes).
        var stored = (await Store.ListDocumentsAsync(run.Id)).Where(d => d.Kind == DocumentKind.Scorecard).ToList();
        Assert.Equal(4, stored.Count);
        var expected = stored.Sum(d => 30 + d.Key.Length + 4 + d.Length) + stored.Sum(d => 46 + d.Key.Length + 4) + 22;
        Assert.Equal((expected, expected), (archive.Length, (long)bytes.Length));
        Assert.Equal("PK\u0003\u0004"u8.ToArray(), bytes[..4]);
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        Assert.Equal(["A1.pdf", "A2.pdf", "B1.pdf", "B2.pdf"], zip.Entries.Select(e => e.FullName));
        foreach (var entry in zip.Entries)
        {
            var document = (await Store.GetDocumentAsync(run.Id, DocumentKind.Scorecard, entry.FullName[..^4]))!;
            using var content = new MemoryStream();
            // The reader checks the entry's CRC-32 as it reads to the end.
            await using (var s = entry.Open()) await s.CopyToAsync(content);
            Assert.Equal(document.Sha256, Sha(content.ToArray()));
            Assert.Equal((document.Content.LongLength, document.Content.LongLength), (entry.Length, entry.CompressedLength));
            Assert.Equal(ScorecardArchive.EntryTime, entry.LastWriteTime);
        }
    }

    [Fact]
    public async Task The_same_documents_give_the_same_bytes_and_tag_and_another_run_another_tag()
    {
        var service = await SeededAsync();
        var run = await service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");
        var other = await service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");

        await using var first = await service.OpenArchiveAsync(run.Id);
        await using var again = await service.OpenArchiveAsync(run.Id);
        await using var third = await service.OpenArchiveAsync(other.Id);
        var (a, b, c) = (await ReadAllAsync(first), await ReadAllAsync(again), await ReadAllAsync(third));

        Assert.Equal(a, b);
        Assert.Equal(first.Tag, again.Tag);
        Assert.Matches("^[0-9a-f]{64}$", first.Tag);
        // The other run's scorecards carry its own run id, so its bytes and tag differ.
        Assert.NotEqual(Sha(a), Sha(c));
        Assert.NotEqual(first.Tag, third.Tag);
    }

    [Fact]
    public async Task The_archive_stream_seeks_for_byte_ranges_anywhere_even_the_central_directory_first()
    {
        var service = await SeededAsync();
        var run = await service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");
        await using var whole = await service.OpenArchiveAsync(run.Id);
        var bytes = await ReadAllAsync(whole);

        await using var archive = await service.OpenArchiveAsync(run.Id);
        Assert.True(archive.Content.CanSeek);
        foreach (var (from, count) in new[] { (bytes.Length - 60, 60), (0, 7), (31, 200), (bytes.Length / 2, 333), (bytes.Length - 1, 1) })
        {
            archive.Content.Position = from;
            var part = new byte[count];
            await archive.Content.ReadExactlyAsync(part);
            Assert.Equal(bytes.AsSpan(from, count).ToArray(), part);
        }
        archive.Content.Seek(-22, SeekOrigin.End);
        var end = new byte[100];
        Assert.Equal(22, await archive.Content.ReadAtLeastAsync(end, 100, throwOnEndOfStream: false));
    }

    [Fact]
    public async Task Publishing_stores_nothing_and_a_run_published_before_downloads_the_same_archive()
    {
        var service = await SeededAsync();
        var run = await service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");
        await using var before = await service.OpenArchiveAsync(run.Id);
        var documents = await Store.ListDocumentsAsync(run.Id);

        await service.PublishAsync(run.Id, "chief");
        // Published as the store alone does it, too: nothing to build either way.
        await Store.PublishAsync(run.Id, "chief", TestClock.Start.AddHours(1));

        Assert.Equal(documents, await Store.ListDocumentsAsync(run.Id));
        await using var after = await service.OpenArchiveAsync(run.Id);
        Assert.Equal((before.Tag, before.Length), (after.Tag, after.Length));
        Assert.Equal(await ReadAllAsync(before), await ReadAllAsync(after));
    }

    [Fact]
    public async Task An_unknown_or_unfinished_run_has_no_archive_and_publishing_a_failed_run_is_refused()
    {
        var service = await SeededAsync();
        var run = await service.RequestRunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");

        var e = await Assert.ThrowsAsync<StoreException>(() => service.PublishAsync(run.Id, "chief"));
        var open = await Assert.ThrowsAsync<StoreException>(() => service.OpenArchiveAsync(run.Id));
        var unknown = await Assert.ThrowsAsync<StoreException>(() => service.OpenArchiveAsync("run-999999"));

        Assert.Equal((StoreError.Conflict, StoreError.Conflict, StoreError.NotFound), (e.Error, open.Error, unknown.Error));
    }
}

public sealed class SqliteArchiveContractTests : ArchiveContractTests
{
    private readonly TempSqlite _file = new();

    protected override async Task<IAssessStore> CreateStoreAsync() => await _file.OpenAsync();

    protected override Task CleanupAsync() => _file.DisposeAsync().AsTask();
}

[Collection(AzuriteCollection.Name)]
[Trait("Cost", "Slow")]
public sealed class AzureArchiveContractTests(AzuriteFixture azurite) : ArchiveContractTests
{
    protected override async Task<IAssessStore> CreateStoreAsync() => await AzureTestStores.CreateAsync(azurite);

    protected override Task CleanupAsync() => ((AzureAssessStore)Store).DeleteAsync();
}
