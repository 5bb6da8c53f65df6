namespace BaiQianWan.Assess.Store;

/// <summary>What a stored run archive is, without its bytes.</summary>
/// <param name="Sha256">SHA-256 of the archive's bytes, lowercase hex (the HTTP ETag of the download).</param>
/// <param name="Length">Size in bytes.</param>
public sealed record ArchiveInfo(string Sha256, long Length);
