namespace BaiQianWan.Assess.Store.Internal;

/// <summary>
/// A read-only view of a stream that also disposes what keeps it readable (a SQLite blob's transaction and
/// connection), innermost first, once.
/// </summary>
internal sealed class OwnedStream(Stream inner, params IDisposable[] owners) : Stream
{
    private int _disposed;

    public override bool CanRead => !IsDisposed && inner.CanRead;

    public override bool CanSeek => !IsDisposed && inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position { get => inner.Position; set => inner.Position = value; }

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            inner.Dispose();
            foreach (var owner in owners) owner.Dispose();
        }
        base.Dispose(disposing);
    }
}
