using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow;

/// <summary>
/// The ZIP of a run's scorecards (<c>CODE.pdf</c> per unit), assembled on download from the run's stored documents:
/// nothing of it is stored, so each PDF is kept once. Entries are stored as they are (method 0: the PDFs' streams
/// are compressed already; deflating them again saved about 10 % for seconds of CPU per download), ordered by unit
/// code (ordinal), every one dated <see cref="EntryTime"/>, with no extra fields and no comment: the same documents
/// always give the same bytes, whose length and tag are known before a byte is read, so the download has a
/// Content-Length, an ETag and byte ranges.
/// </summary>
public static class ScorecardArchive
{
    /// <summary>The fixed time of every entry.</summary>
    public static readonly DateTimeOffset EntryTime = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The MS-DOS time and date of <see cref="EntryTime"/> (00:00:00, 2020-01-01).</summary>
    private const ushort DosTime = 0;
    private const ushort DosDate = (2020 - 1980) << 9 | 1 << 5 | 1;

    internal const int LocalHeaderSize = 30;
    internal const int CentralHeaderSize = 46;
    internal const int EndSize = 22;

    /// <summary>
    /// Opens the archive of <paramref name="runId"/>'s scorecards: reads each stored scorecard once, checking its bytes
    /// against the SHA-256 and length recorded when it was saved, to take its CRC-32; the stream then reads them again
    /// as it is read (one document in memory at a time) and checks each against that CRC. The caller disposes the result.
    /// </summary>
    /// <exception cref="ArchiveDamagedException">A stored scorecard is missing or its bytes are not the ones saved.</exception>
    public static Task<RunArchive> OpenAsync(IRunStore store, string runId, CancellationToken cancellationToken = default) =>
        OpenAsync(store, runId, null, cancellationToken);

    /// <summary>
    /// <see cref="OpenAsync(IRunStore, string, CancellationToken)"/> with each scorecard, once checked, turned into the bytes
    /// the entry holds by <paramref name="serve"/> (as downloads serve it: <see cref="Documents.ServedDocuments"/>), or as
    /// stored when null. <paramref name="serve"/> must be deterministic and thread-safe: it runs on several scorecards at once
    /// (bounded by the processor count) and again when the stream reaches the entry (a cache makes that second call cheap),
    /// and the bytes are checked against the CRC-32 taken here.
    /// </summary>
    public static async Task<RunArchive> OpenAsync(IRunStore store, string runId, Func<StoredDocument, StoredDocument>? serve,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var scorecards = (await store.ListDocumentsAsync(runId, cancellationToken))
            .Where(d => d.Kind == DocumentKind.Scorecard)
            .OrderBy(d => d.Key, StringComparer.Ordinal)
            .ToList();
        var entries = new List<Entry>(scorecards.Count);
        if (serve is null)
        {
            foreach (var info in scorecards)
            {
                var bytes = await ReadAsync(store, runId, info, cancellationToken);
                entries.Add(new Entry(info.Key, Encoding.UTF8.GetBytes($"{info.Key}.pdf"), info.Length, info.Sha256, Crc32.Of(bytes)));
            }
        }
        else
        {
            // Served (stamped) in chunks on every core: each chunk read in order, served in parallel into its slots, the
            // entries taken in order, so the archive is the same whatever the scheduling (serve is deterministic).
            var parallelism = Math.Max(1, Environment.ProcessorCount);
            var chunk = 4 * parallelism;
            for (var start = 0; start < scorecards.Count; start += chunk)
            {
                var infos = scorecards.GetRange(start, Math.Min(chunk, scorecards.Count - start));
                var read = new StoredDocument[infos.Count];
                for (var i = 0; i < infos.Count; i++)
                    read[i] = new StoredDocument(DocumentKind.Scorecard, infos[i].Key, await ReadAsync(store, runId, infos[i], cancellationToken), infos[i].Sha256);
                var served = new (long Length, string Sha256, uint Crc)[infos.Count];
                Parallel.For(0, infos.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, i =>
                {
                    var document = serve(read[i]);
                    served[i] = (document.Content.LongLength, document.Sha256, Crc32.Of(document.Content));
                });
                for (var i = 0; i < infos.Count; i++)
                    entries.Add(new Entry(infos[i].Key, Encoding.UTF8.GetBytes($"{infos[i].Key}.pdf"), served[i].Length, served[i].Sha256, served[i].Crc));
            }
        }
        var layout = new Layout(entries);
        return new RunArchive(new ArchiveStream(store, runId, layout, serve), layout.Tag, layout.Length);
    }

    /// <summary>A stored scorecard's bytes, checked against what was recorded when it was saved.</summary>
    private static async Task<byte[]> ReadAsync(IRunStore store, string runId, DocumentInfo info, CancellationToken cancellationToken)
    {
        var document = await store.GetDocumentAsync(runId, DocumentKind.Scorecard, info.Key, cancellationToken)
            ?? throw new ArchiveDamagedException($"运行 {runId} 的记分卡 {info.Key} 不见了");
        var content = document.Content;
        if (content.LongLength != info.Length)
            throw new ArchiveDamagedException($"运行 {runId} 的记分卡 {info.Key} 应有 {info.Length} 字节，实有 {content.LongLength} 字节");
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        if (!string.Equals(sha, info.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new ArchiveDamagedException($"运行 {runId} 的记分卡 {info.Key} 的 SHA-256 应为 {info.Sha256}，实为 {sha}");
        return content;
    }

    /// <summary>One entry: the document's key and file name, its length, SHA-256 and CRC-32.</summary>
    internal sealed record Entry(string Key, byte[] Name, long Length, string Sha256, uint Crc);

    /// <summary>Where each part of the archive lies: entry i's local header at <c>Offsets[i]</c>, its bytes right after.</summary>
    internal sealed class Layout
    {
        public Layout(IReadOnlyList<Entry> entries)
        {
            if (entries.Count >= ushort.MaxValue)
                throw new InvalidOperationException($"记分卡归档最多 {ushort.MaxValue - 1} 份，这个运行有 {entries.Count} 份");
            Entries = entries;
            Offsets = new long[entries.Count];
            long at = 0;
            for (var i = 0; i < entries.Count; i++)
            {
                Offsets[i] = at;
                at += LocalHeaderSize + entries[i].Name.Length + entries[i].Length;
            }
            CentralStart = at;
            var central = new MemoryStream();
            for (var i = 0; i < entries.Count; i++) WriteCentral(central, entries[i], Offsets[i]);
            var centralSize = central.Length;
            // Every offset and size must fit the 32-bit fields (no ZIP64): a level's scorecards are a few hundred MB.
            if (CentralStart + centralSize > uint.MaxValue)
                throw new InvalidOperationException($"记分卡归档超过 4 GB（{CentralStart + centralSize} 字节），无法打包");
            WriteEnd(central, entries.Count, centralSize, CentralStart);
            Tail = central.ToArray();
            Length = CentralStart + Tail.Length;
            // The bytes are a function of the entries (names, lengths, CRCs: the tail holds them all) and of the documents'
            // bytes (their SHA-256); the tag hashes both, so it changes exactly when the bytes do.
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData("bqw-scorecards-zip/1\n"u8);
            foreach (var e in entries) hash.AppendData(Encoding.ASCII.GetBytes(e.Sha256 + "\n"));
            hash.AppendData(Tail);
            Tag = Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        public IReadOnlyList<Entry> Entries { get; }
        public long[] Offsets { get; }
        public long CentralStart { get; }
        /// <summary>The central directory and its end record.</summary>
        public byte[] Tail { get; }
        public long Length { get; }
        public string Tag { get; }

        /// <summary>The entry whose header or bytes hold <paramref name="position"/> (below <see cref="CentralStart"/>).</summary>
        public int EntryAt(long position)
        {
            var i = Array.BinarySearch(Offsets, position);
            return i >= 0 ? i : ~i - 1;
        }

        public static byte[] LocalHeader(Entry e)
        {
            var h = new byte[LocalHeaderSize + e.Name.Length];
            var s = h.AsSpan();
            BinaryPrimitives.WriteUInt32LittleEndian(s, 0x04034b50);
            BinaryPrimitives.WriteUInt16LittleEndian(s[4..], 10); // version needed: stored
            BinaryPrimitives.WriteUInt16LittleEndian(s[6..], 0); // flags: none (names are ASCII unit codes)
            BinaryPrimitives.WriteUInt16LittleEndian(s[8..], 0); // method: stored
            BinaryPrimitives.WriteUInt16LittleEndian(s[10..], DosTime);
            BinaryPrimitives.WriteUInt16LittleEndian(s[12..], DosDate);
            BinaryPrimitives.WriteUInt32LittleEndian(s[14..], e.Crc);
            BinaryPrimitives.WriteUInt32LittleEndian(s[18..], (uint)e.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(s[22..], (uint)e.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(s[26..], (ushort)e.Name.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(s[28..], 0);
            e.Name.CopyTo(s[30..]);
            return h;
        }

        private static void WriteCentral(Stream to, Entry e, long offset)
        {
            var h = new byte[CentralHeaderSize + e.Name.Length];
            var s = h.AsSpan();
            BinaryPrimitives.WriteUInt32LittleEndian(s, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(s[4..], 20); // made by: MS-DOS, spec 2.0
            BinaryPrimitives.WriteUInt16LittleEndian(s[6..], 10);
            BinaryPrimitives.WriteUInt16LittleEndian(s[8..], 0);
            BinaryPrimitives.WriteUInt16LittleEndian(s[10..], 0);
            BinaryPrimitives.WriteUInt16LittleEndian(s[12..], DosTime);
            BinaryPrimitives.WriteUInt16LittleEndian(s[14..], DosDate);
            BinaryPrimitives.WriteUInt32LittleEndian(s[16..], e.Crc);
            BinaryPrimitives.WriteUInt32LittleEndian(s[20..], (uint)e.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(s[24..], (uint)e.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(s[28..], (ushort)e.Name.Length);
            // extra, comment, disk, internal and external attributes: 0
            BinaryPrimitives.WriteUInt32LittleEndian(s[42..], (uint)offset);
            e.Name.CopyTo(s[46..]);
            to.Write(h);
        }

        private static void WriteEnd(Stream to, int count, long centralSize, long centralStart)
        {
            var h = new byte[EndSize];
            var s = h.AsSpan();
            BinaryPrimitives.WriteUInt32LittleEndian(s, 0x06054b50);
            BinaryPrimitives.WriteUInt16LittleEndian(s[8..], (ushort)count);
            BinaryPrimitives.WriteUInt16LittleEndian(s[10..], (ushort)count);
            BinaryPrimitives.WriteUInt32LittleEndian(s[12..], (uint)centralSize);
            BinaryPrimitives.WriteUInt32LittleEndian(s[16..], (uint)centralStart);
            to.Write(h);
        }
    }

    /// <summary>
    /// The archive's bytes as a read-only, seekable stream: headers computed from the layout, each entry's bytes read from
    /// the store when the position reaches them (the current document kept, one at a time), checked against its CRC-32.
    /// </summary>
    internal sealed class ArchiveStream(IRunStore store, string runId, Layout layout, Func<StoredDocument, StoredDocument>? serve = null) : Stream
    {
        private long _position;
        private int _loaded = -1;
        private byte[] _header = [];
        private byte[] _content = [];

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => layout.Length;

        public override long Position
        {
            get => _position;
            set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => layout.Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position >= layout.Length || buffer.IsEmpty) return 0;
            if (_position >= layout.CentralStart) return Copy(layout.Tail, _position - layout.CentralStart, buffer);
            var i = layout.EntryAt(_position);
            if (_loaded != i) Load(i, CancellationToken.None).GetAwaiter().GetResult();
            return FromEntry(i, buffer);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position >= layout.Length || buffer.IsEmpty) return 0;
            if (_position >= layout.CentralStart) return Copy(layout.Tail, _position - layout.CentralStart, buffer.Span);
            var i = layout.EntryAt(_position);
            if (_loaded != i) await Load(i, cancellationToken);
            return FromEntry(i, buffer.Span);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int FromEntry(int i, Span<byte> buffer)
        {
            var at = _position - layout.Offsets[i];
            return at < _header.Length ? Copy(_header, at, buffer) : Copy(_content, at - _header.Length, buffer);
        }

        private int Copy(byte[] source, long at, Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, source.LongLength - at);
            source.AsSpan((int)at, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        private async Task Load(int i, CancellationToken cancellationToken)
        {
            var entry = layout.Entries[i];
            var document = await store.GetDocumentAsync(runId, DocumentKind.Scorecard, entry.Key, cancellationToken);
            if (document is not null && serve is not null) document = serve(document);
            // Checked already when the archive was opened; a document changed since is not sent as something else.
            if (document is null || document.Content.LongLength != entry.Length || Crc32.Of(document.Content) != entry.Crc)
                throw new IOException($"运行 {runId} 的记分卡 {entry.Key} 在下载中途变了或不见了");
            _header = Layout.LocalHeader(entry);
            _content = document.Content;
            _loaded = i;
        }

        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>CRC-32 (ISO 3309, the ZIP's), table-driven.</summary>
internal static class Crc32
{
    private static readonly uint[] Table = Build();

    private static uint[] Build()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    public static uint Of(ReadOnlySpan<byte> bytes)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in bytes) c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }
}

/// <summary>
/// A run's archive cannot be assembled: one of its stored scorecards is missing or its bytes are not the ones saved
/// (hosts answer 503 through <see cref="Publications.ArchiveUnavailableException"/>), never a wrong or truncated file.
/// </summary>
public sealed class ArchiveDamagedException(string message) : Exception(message);

/// <summary>
/// A run's scorecard archive, opened for reading: a readable, seekable stream assembled from the stored documents as it
/// is read, with its length and tag (a SHA-256 of what the bytes are made of: the strong ETag of the download). Dispose
/// it when done.
/// </summary>
public sealed class RunArchive : IAsyncDisposable, IDisposable
{
    /// <summary>Wraps an opened archive.</summary>
    public RunArchive(Stream content, string tag, long length)
    {
        Content = content ?? throw new ArgumentNullException(nameof(content));
        ArgumentException.ThrowIfNullOrEmpty(tag);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Tag = tag;
        Length = length;
    }

    /// <summary>The bytes, read as a stream.</summary>
    public Stream Content { get; }

    /// <summary>
    /// SHA-256 (lowercase hex) of the archive's make-up: its documents' SHA-256 and its central directory (names,
    /// lengths, CRCs, offsets). Equal tags, equal bytes.
    /// </summary>
    public string Tag { get; }

    /// <summary>Size in bytes.</summary>
    public long Length { get; }

    /// <inheritdoc />
    public void Dispose() => Content.Dispose();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
