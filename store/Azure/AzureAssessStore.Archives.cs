using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using BaiQianWan.Assess.Store.Internal;

namespace BaiQianWan.Assess.Store.Azure;

// Run archives: one block blob per run, staged block by block and made visible by committing the block list.
public sealed partial class AzureAssessStore
{
    private const string ArchiveShaKey = "sha256";

    /// <inheritdoc />
    /// <remarks>
    /// The bytes go up as 4 MB blocks (hashed on the way) under block ids unique to this write; nothing is
    /// visible until the block list is committed with the hash in the blob's metadata, which replaces the earlier
    /// archive atomically. Blocks of a write that failed stay uncommitted and invisible; Azure storage discards
    /// them after a week.
    /// </remarks>
    public async Task<ArchiveInfo> SaveArchiveAsync(string runId, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var (_, run) = await RequireRunAsync(runId, cancellationToken);
        if (run.Status != RunStatus.Succeeded)
            throw new StoreException(StoreError.Conflict, $"运行 {runId} 的状态是 {StoreText.Status(run.Status)}，只有成功的运行才有记分卡归档");
        var blob = _blobs.GetBlockBlobClient(AzureNames.ArchiveBlob(runId));
        // Every block id of a blob has the same length; a write's own prefix keeps racing writers' blocks apart.
        var write = Guid.NewGuid().ToString("N");
        var ids = new List<string>();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(ArchiveSource.ChunkSize);
        long length = 0;
        try
        {
            while (true)
            {
                var read = await content.ReadAtLeastAsync(buffer.AsMemory(0, ArchiveSource.ChunkSize), ArchiveSource.ChunkSize, throwOnEndOfStream: false, cancellationToken);
                if (read == 0) break;
                hash.AppendData(buffer, 0, read);
                var id = Convert.ToBase64String(Encoding.ASCII.GetBytes($"{write}-{ids.Count:D6}"));
                using (var block = new MemoryStream(buffer, 0, read, writable: false))
                    await blob.StageBlockAsync(id, block, cancellationToken: cancellationToken);
                ids.Add(id);
                length += read;
                if (read < ArchiveSource.ChunkSize) break;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        var sha = ArchiveSource.Hex(hash);
        await blob.CommitBlockListAsync(ids, new CommitBlockListOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/zip" },
            Metadata = new Dictionary<string, string> { [ArchiveShaKey] = sha },
        }, cancellationToken);
        return new ArchiveInfo(sha, length);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The stream reads the blob lazily in ranges (nothing is downloaded until the first read), pinned to the
    /// version it opened (its ETag), so a concurrent re-save never mixes two archives into one read.
    /// </remarks>
    public async Task<RunArchive?> OpenArchiveAsync(string runId, CancellationToken cancellationToken = default)
    {
        var blob = _blobs.GetBlobClient(AzureNames.ArchiveBlob(runId));
        BlobProperties properties;
        try
        {
            properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        if (!properties.Metadata.TryGetValue(ArchiveShaKey, out var sha))
            throw new StoreException(StoreError.Invalid, $"运行 {runId} 的记分卡归档缺少 SHA-256（{AzureNames.ArchiveBlob(runId)}）");
        var stream = await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false)
        {
            Conditions = new BlobRequestConditions { IfMatch = properties.ETag },
            BufferSize = ArchiveSource.ChunkSize,
        }, cancellationToken);
        return new RunArchive(stream, sha, properties.ContentLength);
    }
}
