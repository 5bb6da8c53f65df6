using System.IO.Compression;
using System.Security.Cryptography;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Azure;
using BaiQianWan.Assess.Workflow;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>
/// Run archives on every store (<see cref="IRunStore.SaveArchiveAsync"/>, <see cref="IRunStore.OpenArchiveAsync"/>)
/// and through the workflow: built at publication, reused, built once on first request for runs published before.
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

    /// <summary>Bytes that no compression or chunking can hide: 9 MB and a bit, more than two 4 MB chunks.</summary>
    private static byte[] Payload(int seed, int length = (9 << 20) + 12_345)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static async Task<byte[]> ReadAllAsync(RunArchive archive)
    {
        using var copy = new MemoryStream();
        await archive.Content.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task An_archive_goes_in_as_a_stream_and_comes_back_with_its_bytes_hash_and_length()
    {
        var service = await SeededAsync();
        var run = await service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");
        var bytes = Payload(1);

        // A stream that cannot seek or tell its length, as a network body would be.
        var info = await Store.SaveArchiveAsync(run.Id, new OneWayStream(bytes));

        Assert.Equal(new ArchiveInfo(Sha(bytes), bytes.Length), info);
        await using var archive = await Store.OpenArchiveAsync(run.Id);
        Assert.NotNull(archive);
        Assert.Equal((Sha(bytes), (long)bytes.Length), (archive.Sha256, archive.Length));
        Assert.Equal(bytes, await ReadAllAsync(archive));
        // Seekable, for byte ranges: a read from the middle gives the bytes there.
        archive.Content.Position = 5_000_000;
        var middle = new byte[100];
        await archive.Content.ReadExactlyAsync(middle);
        Assert.Equal(bytes.AsSpan(5_000_000, 100).ToArray(), middle);
    }

    [Fact]
    public async Task Saving_the_same_archive_again_is_idempotent_and_another_one_replaces_it()
    {
        var service = await SeededAsync();
        var run = await service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");
        var bytes = Payload(2, 1_000_000);

        var first = await Store.SaveArchiveAsync(run.Id, new MemoryStream(bytes));
        var again = await Store.SaveArchiveAsync(run.Id, new MemoryStream(bytes));
        Assert.Equal(first, again);
        await using (var archive = await Store.OpenArchiveAsync(run.Id))
            Assert.Equal(bytes, await ReadAllAsync(archive!));

        var other = Payload(3, 500);
        Assert.Equal(new ArchiveInfo(Sha(other), 500), await Store.SaveArchiveAsync(run.Id, new MemoryStream(other)));
        await using (var archive = await Store.OpenArchiveAsync(run.Id))
        {
            Assert.Equal(Sha(other), archive!.Sha256);
            Assert.Equal(other, await ReadAllAsync(archive));
        }
    }

    [Fact]
    public async Task An_unknown_run_has_no_archive_and_only_a_succeeded_run_may_get_one()
    {
        var service = await SeededAsync();

        Assert.Null(await Store.OpenArchiveAsync("run-999999"));
        var unknown = await Assert.ThrowsAsync<StoreException>(() => Store.SaveArchiveAsync("run-999999", new MemoryStream([1, 2, 3])));
        Assert.Equal(StoreError.NotFound, unknown.Error);

        var queued = await service.RequestRunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");
        var refused = await Assert.ThrowsAsync<StoreException>(() => Store.SaveArchiveAsync(queued.Id, new MemoryStream([1, 2, 3])));
        Assert.Equal(StoreError.Conflict, refused.Error);
        Assert.Null(await Store.OpenArchiveAsync(queued.Id));
    }

    [Fact]
    public async Task A_write_that_fails_midway_leaves_nothing_or_the_earlier_archive_visible()
    {
        var service = await SeededAsync();
        var run = await service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");
        var bytes = Payload(4);

        // The source breaks after 6 MB, past the first 4 MB chunk, which was already written when it does.
        await Assert.ThrowsAsync<IOException>(() => Store.SaveArchiveAsync(run.Id, new BreakingStream(bytes, failAfter: 6 << 20)));
        await Assert.ThrowsAsync<IOException>(() => Store.SaveArchiveAsync(run.Id, new OneWayStream(bytes, failAfter: 6 << 20)));
        Assert.Null(await Store.OpenArchiveAsync(run.Id));

        var earlier = Payload(5, 300_000);
        await Store.SaveArchiveAsync(run.Id, new MemoryStream(earlier));
        await Assert.ThrowsAsync<IOException>(() => Store.SaveArchiveAsync(run.Id, new BreakingStream(bytes, failAfter: 6 << 20)));
        await using var archive = await Store.OpenArchiveAsync(run.Id);
        Assert.Equal((Sha(earlier), (long)earlier.Length), (archive!.Sha256, archive.Length));
        Assert.Equal(earlier, await ReadAllAsync(archive));
    }

    [Fact]
    public async Task Publishing_builds_the_archive_of_every_scorecard_by_unit_code_with_fixed_times()
    {
        var service = await SeededAsync();
        var run = await service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");
        Assert.Null(await Store.OpenArchiveAsync(run.Id));

        await service.PublishAsync(run.Id, "chief");

        await using var archive = await Store.OpenArchiveAsync(run.Id);
        Assert.NotNull(archive);
        var bytes = await ReadAllAsync(archive);
        Assert.Equal((Sha(bytes), (long)bytes.Length), (archive.Sha256, archive.Length));
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        Assert.Equal(["A1.pdf", "A2.pdf", "B1.pdf", "B2.pdf"], zip.Entries.Select(e => e.FullName));
        foreach (var entry in zip.Entries)
        {
            var stored = (await Store.GetDocumentAsync(run.Id, DocumentKind.Scorecard, entry.FullName[..^4]))!;
            using var content = new MemoryStream();
            await using (var s = entry.Open()) await s.CopyToAsync(content);
            Assert.Equal(stored.Sha256, Sha(content.ToArray()));
            Assert.Equal(ScorecardArchive.EntryTime, entry.LastWriteTime);
        }
        // The same documents give the same bytes, and the same bytes as the endpoint built per request before.
        using var rebuilt = new MemoryStream();
        Assert.Equal(4, await ScorecardArchive.WriteAsync(Store, run.Id, rebuilt));
        Assert.Equal(bytes, rebuilt.ToArray());
        Assert.Equal(bytes, await AsTheEndpointBuiltItAsync(run.Id));
    }

    /// <summary>The ZIP as <c>GET …/scorecards.zip</c> built it in memory on every request, before archives were stored.</summary>
    private async Task<byte[]> AsTheEndpointBuiltItAsync(string runId)
    {
        var infos = (await Store.ListDocumentsAsync(runId)).Where(d => d.Kind == DocumentKind.Scorecard).OrderBy(d => d.Key, StringComparer.Ordinal).ToList();
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var info in infos)
            {
                var document = (await Store.GetDocumentAsync(runId, DocumentKind.Scorecard, info.Key))!;
                var entry = zip.CreateEntry($"{info.Key}.pdf", CompressionLevel.Optimal);
                entry.LastWriteTime = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
                await using var stream = entry.Open();
                await stream.WriteAsync(document.Content);
            }
        }
        return buffer.ToArray();
    }

    [Fact]
    public async Task Republishing_an_older_run_keeps_its_archive()
    {
        var service = await SeededAsync();
        var first = await service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");
        await service.PublishAsync(first.Id, "chief");
        var second = await service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");
        await service.PublishAsync(second.Id, "chief");
        // Mark the first run's archive, so a rebuild (the same bytes as before) would show.
        var marker = Payload(6, 1000);
        await Store.SaveArchiveAsync(first.Id, new MemoryStream(marker));

        var again = await service.PublishAsync(first.Id, "chief");

        Assert.Equal((first.Id, 3), (again.RunId, again.Revision));
        await using var archive = await Store.OpenArchiveAsync(first.Id);
        Assert.Equal(Sha(marker), archive!.Sha256);
    }

    [Fact]
    public async Task A_run_published_before_archives_gets_one_on_first_request_and_the_same_one_after()
    {
        var service = await SeededAsync();
        var run = await service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");
        // Published as the store alone did before archives were built at publication.
        await Store.PublishAsync(run.Id, "chief", TestClock.Start);
        Assert.Null(await Store.OpenArchiveAsync(run.Id));

        // Concurrent first requests: one archive, the same for all.
        var opened = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => service.OpenArchiveAsync(run.Id)));
        var hashes = new List<string>();
        foreach (var archive in opened)
            await using (archive)
            {
                var bytes = await ReadAllAsync(archive);
                Assert.Equal(archive.Sha256, Sha(bytes));
                hashes.Add(archive.Sha256);
            }

        await using var stored = await Store.OpenArchiveAsync(run.Id);
        Assert.Equal(Enumerable.Repeat(stored!.Sha256, 6), hashes);
        using var rebuilt = new MemoryStream();
        await ScorecardArchive.WriteAsync(Store, run.Id, rebuilt);
        Assert.Equal(Sha(rebuilt.ToArray()), stored.Sha256);
        await using var later = await service.OpenArchiveAsync(run.Id);
        Assert.Equal(stored.Sha256, later.Sha256);
    }

    [Fact]
    public async Task Publishing_a_failed_run_is_refused_without_building_an_archive()
    {
        var service = await SeededAsync();
        var run = await service.RequestRunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");

        var e = await Assert.ThrowsAsync<StoreException>(() => service.PublishAsync(run.Id, "chief"));
        var open = await Assert.ThrowsAsync<StoreException>(() => service.OpenArchiveAsync(run.Id));

        Assert.Equal((StoreError.Conflict, StoreError.Conflict), (e.Error, open.Error));
        Assert.Null(await Store.OpenArchiveAsync(run.Id));
    }

    /// <summary>A seekable stream over bytes whose reads fail once <paramref name="failAfter"/> bytes were read.</summary>
    private sealed class BreakingStream(byte[] bytes, int failAfter) : MemoryStream(bytes, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) =>
            Position >= failAfter ? throw new IOException("磁盘读取失败") : base.Read(buffer, offset, (int)Math.Min(count, failAfter - Position));

        public override int Read(Span<byte> buffer)
        {
            var copy = new byte[buffer.Length];
            var n = Read(copy, 0, copy.Length);
            copy.AsSpan(0, n).CopyTo(buffer);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));
    }

    /// <summary>A forward-only stream over bytes, in odd-sized reads, that can throw an I/O error part-way.</summary>
    private sealed class OneWayStream(byte[] bytes, int failAfter = -1) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (failAfter >= 0 && _position >= failAfter) throw new IOException("连接中断");
            var n = Math.Min(Math.Min(count, 777_777), bytes.Length - _position);
            Array.Copy(bytes, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
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
