using Azure;
using BaiQianWan.Assess.Store.Internal;

namespace BaiQianWan.Assess.Store.Azure;

// Evidence files: blobs named by their SHA-256, written once.
public sealed partial class AzureLedgerStore
{
    /// <inheritdoc />
    public async Task PutFileAsync(string sha256, byte[] content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!LedgerJson.IsSha(sha256) || StoreText.Sha256(content) != sha256) throw new StoreException(StoreError.Invalid, "文件内容与其 SHA-256 不符");
        var blob = _blobs.GetBlobClient(Blob(sha256));
        try
        {
            // Written only if absent: the name is the content's hash, so an existing blob already holds these bytes.
            await blob.UploadAsync(new BinaryData(content), overwrite: false, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
        }
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetFileAsync(string sha256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        if (!LedgerJson.IsSha(sha256)) return null;
        try
        {
            var result = await _blobs.GetBlobClient(Blob(sha256)).DownloadContentAsync(cancellationToken);
            return result.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private static string Blob(string sha256) => $"evidence/{sha256}";
}
