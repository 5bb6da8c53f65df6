namespace BaiQianWan.Assess.Store;

/// <summary>
/// A run's stored scorecard archive (a ZIP), opened for reading: a readable, seekable stream over the stored
/// bytes (never the whole archive in memory) with its SHA-256 and length. Dispose it to release the storage
/// handle (a SQLite connection, an Azure blob reader).
/// </summary>
public sealed class RunArchive : IAsyncDisposable, IDisposable
{
    /// <summary>Wraps an opened archive.</summary>
    /// <param name="content">The archive's bytes, positioned at the start; disposed with this object.</param>
    /// <param name="sha256">SHA-256 of the bytes, lowercase hex.</param>
    /// <param name="length">Size in bytes.</param>
    public RunArchive(Stream content, string sha256, long length)
    {
        Content = content ?? throw new ArgumentNullException(nameof(content));
        ArgumentException.ThrowIfNullOrEmpty(sha256);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Sha256 = sha256;
        Length = length;
    }

    /// <summary>The bytes, read as a stream.</summary>
    public Stream Content { get; }

    /// <summary>SHA-256 of the bytes, lowercase hex.</summary>
    public string Sha256 { get; }

    /// <summary>Size in bytes.</summary>
    public long Length { get; }

    /// <summary>The hash and length.</summary>
    public ArchiveInfo Info => new(Sha256, Length);

    /// <inheritdoc />
    public void Dispose() => Content.Dispose();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
