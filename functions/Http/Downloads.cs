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
    public static IResult File(HttpContext http, byte[] content, string sha256, string contentType, string asciiName, string name)
    {
        var etag = new EntityTagHeaderValue($"\"{sha256}\"");
        var headers = http.Response.Headers;
        headers.CacheControl = "private, no-cache";
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.FileName = asciiName;
        disposition.FileNameStar = name;
        headers.ContentDisposition = disposition.ToString();
        return Results.Bytes(content, contentType, entityTag: etag);
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
}
