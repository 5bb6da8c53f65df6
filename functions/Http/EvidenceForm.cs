using BaiQianWan.Assess.Workflow.Ledger;
using Microsoft.AspNetCore.Http.Features;

namespace BaiQianWan.Assess.Functions.Http;

/// <summary>
/// A <c>multipart/form-data</c> request carrying evidence files (the ledger's rules: at most
/// <see cref="EvidenceTypes.MaxFiles"/> files of at most <see cref="EvidenceTypes.MaxBytes"/> each, recognised by content
/// by the workflow), read with a hard size limit; and the media type an evidence file is served as.
/// </summary>
internal static class EvidenceForm
{
    /// <summary>Most bytes such a form may carry: the files and a megabyte of fields.</summary>
    public const long Limit = EvidenceTypes.MaxFiles * EvidenceTypes.MaxBytes + 1024 * 1024;

    /// <summary>Reads the form and its file parts (400 when it is not a form; 413 over <see cref="Limit"/>).</summary>
    /// <param name="request">The request.</param>
    /// <param name="notForm">The 400's detail when the body is not a form.</param>
    /// <param name="what">What one request is, for the 413's detail (如 一次复核申请).</param>
    /// <param name="ct">Cancellation.</param>
    public static async Task<(IFormCollection Form, List<EvidenceUpload> Files)> ReadAsync(HttpRequest request, string notForm, string what, CancellationToken ct)
    {
        if (!request.HasFormContentType) throw ApiException.BadRequest(notForm);
        if (request.ContentLength > Limit) throw TooLarge(what);
        Allow(request, valueCountLimit: 64);
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException)
        {
            throw TooLarge(what);
        }
        var uploads = new List<EvidenceUpload>();
        foreach (var file in form.Files)
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            uploads.Add(new EvidenceUpload(Path.GetFileName(file.FileName), buffer.ToArray()));
        }
        return (form, uploads);
    }

    /// <summary>
    /// Lets <paramref name="request"/> carry an evidence form: the body and its multipart sections bounded at
    /// <see cref="Limit"/> instead of the server's defaults (set once the caller is let in, before the form is read).
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="valueCountLimit">Most form fields, or null for the framework's default.</param>
    public static void Allow(HttpRequest request, int? valueCountLimit = null)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = Limit;
        if (!request.HasFormContentType) return;
        var options = new Microsoft.AspNetCore.Http.Features.FormOptions { MultipartBodyLengthLimit = Limit };
        if (valueCountLimit is { } count) options.ValueCountLimit = count;
        request.HttpContext.Features.Set<IFormFeature>(new FormFeature(request, options));
    }

    /// <summary>The files of a portal form's <c>files</c> input (an empty input's part skipped).</summary>
    public static async Task<List<EvidenceUpload>> FilesAsync(IFormCollection form, CancellationToken ct)
    {
        var files = new List<EvidenceUpload>();
        foreach (var f in form.Files.GetFiles("files"))
        {
            if (f.Length == 0 && f.FileName.Length == 0) continue;
            using var buffer = new MemoryStream();
            await f.CopyToAsync(buffer, ct);
            files.Add(new EvidenceUpload(Path.GetFileName(f.FileName), buffer.ToArray()));
        }
        return files;
    }

    /// <summary>The media type of a recognised evidence type (pdf, png, jpeg, xlsx, docx).</summary>
    public static string MediaType(string type) => type switch
    {
        "pdf" => Downloads.Pdf,
        "png" => "image/png",
        "jpeg" => "image/jpeg",
        "xlsx" => Downloads.Xlsx,
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    };

    private static ApiException TooLarge(string what) =>
        new(StatusCodes.Status413PayloadTooLarge, "请求正文过大", $"{what}最多 {EvidenceTypes.MaxFiles} 个文件，每个不超过 {EvidenceTypes.MaxBytes / 1024 / 1024} MB");
}
