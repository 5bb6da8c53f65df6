using BaiQianWan.Assess.Workflow;
using Microsoft.Net.Http.Headers;

namespace BaiQianWan.Assess.Functions.Http;

/// <summary>File responses with a strong ETag (the content's SHA-256) and a Chinese download name.</summary>
internal static class Downloads
{
    public const string Pdf = "application/pdf";
    public const string Zip = "application/zip";
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The bytes, or 304 when the client already has them.</summary>
    /// <param name="http">The exchange.</param>
    /// <param name="content">The bytes.</param>
    /// <param name="sha256">Their SHA-256 (lowercase hex).</param>
    /// <param name="contentType">Media type.</param>
    /// <param name="asciiName">Fallback file name for old clients.</param>
    /// <param name="name">The file name (RFC 5987 <c>filename*</c>, UTF-8).</param>
    public static IResult File(HttpContext http, byte[] content, string sha256, string contentType, string asciiName, string name) =>
        Results.Bytes(content, contentType, entityTag: Attachment(http, sha256, asciiName, name));

    /// <summary>
    /// An archive streamed as it is assembled (Content-Length, byte ranges), with its tag as ETag, or 304 without
    /// reading it when the client already has it. The archive is disposed when the response is done, whatever happens.
    /// </summary>
    /// <param name="http">The exchange.</param>
    /// <param name="archive">The opened archive; this call owns it.</param>
    /// <param name="contentType">Media type.</param>
    /// <param name="asciiName">Fallback file name for old clients.</param>
    /// <param name="name">The file name (RFC 5987 <c>filename*</c>, UTF-8).</param>
    public static IResult Stream(HttpContext http, RunArchive archive, string contentType, string asciiName, string name)
    {
        http.Response.RegisterForDisposeAsync(archive);
        // Only byte ranges exist here (Accept-Ranges: bytes); a range in another unit is ignored and the whole archive sent,
        // as RFC 9110 §14.2 asks (ASP.NET Core's range processing does not look at the unit).
        if (http.Request.Headers.Range.ToString() is { Length: > 0 } range && !range.TrimStart().StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
            http.Request.Headers.Remove(HeaderNames.Range);
        var etag = Attachment(http, archive.Tag, asciiName, name);
        return Results.Stream(archive.Content, contentType, entityTag: etag, enableRangeProcessing: true);
    }

    private static EntityTagHeaderValue Attachment(HttpContext http, string sha256, string asciiName, string name)
    {
        var headers = http.Response.Headers;
        headers.CacheControl = "private, no-cache";
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.FileName = asciiName;
        disposition.FileNameStar = name;
        headers.ContentDisposition = disposition.ToString();
        return new EntityTagHeaderValue($"\"{sha256}\"");
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
}
