using System.Security.Cryptography;

namespace BaiQianWan.Assess.Store.Internal;

/// <summary>How both stores read an archive handed to them: in bounded chunks, hashing as they go.</summary>
internal static class ArchiveSource
{
    /// <summary>Size of the chunks an archive is copied in (a SQLite blob write, an Azure block).</summary>
    public const int ChunkSize = 4 << 20;

    /// <summary>
    /// <paramref name="content"/> itself when it can tell its length, otherwise a copy in a temporary file
    /// (deleted on dispose) so that it can; <c>Owned</c> says whether the caller must dispose the result.
    /// </summary>
    public static async Task<(Stream Stream, long Length, bool Owned)> SeekableAsync(Stream content, CancellationToken cancellationToken)
    {
        if (content.CanSeek) return (content, content.Length - content.Position, false);
        var temp = new FileStream(Path.Combine(Path.GetTempPath(), $"bqw-archive-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await content.CopyToAsync(temp, 1 << 20, cancellationToken);
            temp.Position = 0;
            return (temp, temp.Length, true);
        }
        catch
        {
            await temp.DisposeAsync();
            throw;
        }
    }

    /// <summary>Fills <paramref name="buffer"/> as far as the stream goes; fewer bytes only at its end.</summary>
    public static async Task<int> FillAsync(Stream content, byte[] buffer, CancellationToken cancellationToken) =>
        await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);

    /// <summary>The lowercase hex of a finished hash.</summary>
    public static string Hex(IncrementalHash hash) => Convert.ToHexStringLower(hash.GetHashAndReset());
}
