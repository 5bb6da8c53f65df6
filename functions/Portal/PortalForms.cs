using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Portal.Building;

namespace BaiQianWan.Assess.Functions.Portal;

/// <summary>
/// Reads a posted form for the portal. A post that is not a form (no body, another content type), a multipart body
/// that breaks off or has no boundary, or one past a bound (a field over 4 MiB, too many fields, a body over the
/// request limit) is the sender's mistake, not the server's: it is answered with the portal's error page, 400 or
/// 413, and logged as one line of warning, never as a fault with a stack trace.
/// </summary>
public static class PortalForms
{
    /// <summary>The form, or the error page to answer with instead.</summary>
    public static async Task<(IFormCollection? Form, IResult? Stop)> FormAsync(this PortalHttp portal, HttpContext http, PortalUser? user,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(portal);
        ArgumentNullException.ThrowIfNull(http);
        try
        {
            return (await ReadAsync(http.Request, cancellationToken), null);
        }
        catch (PortalException e)
        {
            http.RequestServices.GetService<ILoggerFactory>()?.CreateLogger(typeof(PortalForms))
                .LogWarning("Portal form refused ({Status}) on {Method} {Path}{Query}: {Reason}", e.Status, http.Request.Method, http.Request.Path.Value,
                    http.Request.QueryString.Value, e.Message);
            return (null, await portal.ErrorAsync(http, user, e));
        }
    }

    /// <summary>Reads the form; a malformed or oversized one is a <see cref="PortalException"/> (400 or 413) saying what is wrong.</summary>
    public static async Task<IFormCollection> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasFormContentType)
            throw new PortalException(StatusCodes.Status400BadRequest,
                request.ContentLength is 0 || (request.ContentLength is null && string.IsNullOrEmpty(request.ContentType))
                    ? "没有收到表单内容，请返回页面重新提交"
                    : "提交的不是表单（应为 application/x-www-form-urlencoded 或 multipart/form-data），请返回页面重新提交");
        try
        {
            return await request.ReadFormAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (BadHttpRequestException e)
        {
            throw e.StatusCode == StatusCodes.Status413PayloadTooLarge ? TooLarge() : Broken();
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            // FormOptions' bounds: a value over 4 MiB, more than 1024 fields, a key, header or multipart body too long.
            throw TooLarge();
        }
        catch (Exception e) when (e is InvalidDataException or IOException or InvalidOperationException or FormatException)
        {
            // A multipart body cut off or without its boundary, a section without its headers.
            throw Broken();
        }
    }

    private static PortalException TooLarge() =>
        new(StatusCodes.Status413PayloadTooLarge, "提交的内容过大（单个字段最多 4 MiB，上传文件最多 20 MiB），未作处理");

    private static PortalException Broken() =>
        new(StatusCodes.Status400BadRequest, "提交的表单不完整或格式错误，未作处理，请返回页面重新提交");
}
