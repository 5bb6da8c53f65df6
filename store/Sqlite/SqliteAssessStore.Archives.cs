using System.Buffers;
using System.Security.Cryptography;
using BaiQianWan.Assess.Store.Internal;
using Microsoft.Data.Sqlite;

namespace BaiQianWan.Assess.Store.Sqlite;

// Run archives: one row per run in run_archive, its bytes written and read in chunks through SQLite's
// incremental blob I/O (SqliteBlob), so neither direction holds the archive in memory.
public sealed partial class SqliteAssessStore
{
    /// <inheritdoc />
    /// <remarks>
    /// One <c>BEGIN IMMEDIATE</c> transaction: the row is inserted with a zero-filled blob of the archive's length,
    /// the bytes are copied into it in 4 MB chunks while hashing, then the hash is set and the change committed.
    /// A failure anywhere rolls the whole change back, so the earlier archive (or none) stays. A stream that
    /// cannot tell its length is first copied to a temporary file. SQLite limits a blob to 1,000,000,000 bytes.
    /// </remarks>
    public async Task<ArchiveInfo> SaveArchiveAsync(string runId, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var (source, length, owned) = await ArchiveSource.SeekableAsync(content, cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(ArchiveSource.ChunkSize);
        try
        {
            return await ChangeAsync(async change =>
            {
                var (c, tx) = change;
                var run = RequireRun(c, tx, runId);
                if (run.Status != RunStatus.Succeeded)
                    throw new StoreException(StoreError.Conflict, $"运行 {runId} 的状态是 {StoreText.Status(run.Status)}，只有成功的运行才有记分卡归档");
                Exec(c, tx, "DELETE FROM run_archive WHERE run_id = $id;", ("$id", runId));
                Exec(c, tx, "INSERT INTO run_archive (run_id, sha256, length, content) VALUES ($id, '', $length, zeroblob($length));",
                    ("$id", runId), ("$length", length));
                var rowid = (long)Scalar(c, tx, "SELECT last_insert_rowid();")!;
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                long written = 0;
                using (var blob = new SqliteBlob(c, "run_archive", "content", rowid))
                {
                    while (true)
                    {
                        var read = await source.ReadAsync(buffer.AsMemory(0, ArchiveSource.ChunkSize), cancellationToken);
                        if (read == 0) break;
                        if (written + read > length) break;
                        blob.Write(buffer, 0, read);
                        hash.AppendData(buffer, 0, read);
                        written += read;
                    }
                }
                if (written != length)
                    throw new StoreException(StoreError.Invalid, $"运行 {runId} 的记分卡归档在写入时长度变了（应为 {length} 字节）");
                var sha = ArchiveSource.Hex(hash);
                Exec(c, tx, "UPDATE run_archive SET sha256 = $sha WHERE rowid = $rowid;", ("$sha", sha), ("$rowid", rowid));
                return new ArchiveInfo(sha, length);
            }, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (owned) await source.DisposeAsync();
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// The stream reads the stored blob in place, inside a read transaction held (with its connection) until the
    /// stream is disposed, so it sees one archive even while another is being saved for the run.
    /// </remarks>
    public async Task<RunArchive?> OpenArchiveAsync(string runId, CancellationToken cancellationToken = default)
    {
        var c = await OpenAsync(cancellationToken);
        SqliteTransaction? tx = null;
        try
        {
            tx = c.BeginTransaction(deferred: true);
            long rowid, length;
            string sha;
            using (var cmd = Command(c, tx, "SELECT rowid, sha256, length FROM run_archive WHERE run_id = $id;", ("$id", runId)))
            using (var r = cmd.ExecuteReader())
            {
                if (!r.Read())
                {
                    tx.Dispose();
                    await c.DisposeAsync();
                    return null;
                }
                (rowid, sha, length) = (r.GetInt64(0), r.GetString(1), r.GetInt64(2));
            }
            var blob = new SqliteBlob(c, "run_archive", "content", rowid, readOnly: true);
            return new RunArchive(new OwnedStream(blob, readSynchronously: true, tx, c), sha, length);
        }
        catch
        {
            tx?.Dispose();
            await c.DisposeAsync();
            throw;
        }
    }
}
