using System.IO.Compression;
using BaiQianWan.Assess.Portal.Models;

namespace BaiQianWan.Assess.Portal.Building;

/// <summary>
/// Packs an uploaded file into the page that shows its preview or its refusal, and unpacks it when the next form brings it
/// back. The server keeps nothing between the two requests (any instance answers the next one); what comes back is checked
/// again in full before anything is written, and is bounded like an upload.
/// </summary>
public static class UploadStages
{
    /// <summary>Form fields of a stage.</summary>
    public const string KindField = "stage.kind", FileField = "stage.file", PeriodField = "stage.period", DataField = "stage.data";

    /// <summary>Most bytes of a staged file once unpacked (the portal's upload bound).</summary>
    public const int MaxBytes = 20 * 1024 * 1024;

    /// <summary>Most characters of a stage's data in a page (a larger file is not staged: the page says to split it).</summary>
    public const int MaxDataLength = 12 * 1024 * 1024;

    /// <summary>A stage for the file, or null when it would make the page too large.</summary>
    public static UploadStage? Of(string kind, string fileName, string period, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(content);
        var data = Convert.ToBase64String(packed.GetBuffer(), 0, (int)packed.Length);
        return data.Length > MaxDataLength ? null : new UploadStage(kind, fileName, period, data);
    }

    /// <summary>The stage a form brought back, or a refusal (400) saying to upload again.</summary>
    public static (UploadStage Stage, byte[] Content) Read(Func<string, string> field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var stage = new UploadStage(field(KindField), field(FileField), field(PeriodField), field(DataField));
        if (stage.Kind is not ("units" or "observations") || stage.FileName.Length == 0 || stage.Data.Length is 0 or > MaxDataLength)
            throw Again();
        try
        {
            using var input = new GZipStream(new MemoryStream(Convert.FromBase64String(stage.Data)), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = input.Read(buffer)) > 0)
            {
                if (output.Length + read > MaxBytes) throw Again();
                output.Write(buffer, 0, read);
            }
            return (stage, output.ToArray());
        }
        catch (Exception e) when (e is FormatException or InvalidDataException)
        {
            throw Again();
        }
    }

    private static PortalException Again() => new(400, "页面带回的文件不完整，未作处理；请重新上传文件");
}
