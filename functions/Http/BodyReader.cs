using Microsoft.AspNetCore.Http.Features;

namespace BaiQianWan.Assess.Functions.Http;

/// <summary>Reads request bodies with a hard size limit, so no endpoint buffers more than it is meant to accept.</summary>
public static class BodyReader
{
    /// <summary>Limit for unit and observation files (CSV or XLSX).</summary>
    public const long ImportLimit = 20L * 1024 * 1024;

    /// <summary>Limit for ruleset YAML.</summary>
    public const long RulesetLimit = 1024 * 1024;

    /// <summary>Limit for small JSON requests.</summary>
    public const long JsonLimit = 64 * 1024;

    /// <summary>Reads the whole body, answering 413 as soon as it exceeds <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit) throw TooLarge(limit);
        var feature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = limit;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit) throw TooLarge(limit);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>Reads a UTF-8 text body (a leading BOM is dropped).</summary>
    public static async Task<string> ReadTextAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        var bytes = await ReadAsync(request, limit, cancellationToken);
        try
        {
            var text = new System.Text.UTF8Encoding(false, true).GetString(bytes);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw ApiException.BadRequest("请求正文不是有效的 UTF-8 文本");
        }
    }

    private static ApiException TooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "请求正文过大", $"这个接口最多接受 {limit / 1024} KB");
}
