namespace BaiQianWan.Assess.Portal.Rendering;

/// <summary>One embedded asset.</summary>
/// <param name="Name">File name (e.g. <c>portal.js</c>).</param>
/// <param name="Content">Bytes.</param>
/// <param name="ContentType">MIME type with charset.</param>
/// <param name="Version">The first 16 hex digits of its SHA-256 (URL version and ETag).</param>
public sealed record PortalAsset(string Name, byte[] Content, string ContentType, string Version)
{
    /// <summary>The ETag header value.</summary>
    public string ETag => $"\"{Version}\"";
}
