using System.IO.Compression;
using System.Security.Cryptography;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Workflow.Imports;

namespace BaiQianWan.Assess.Workflow.Ledger;

/// <summary>An evidence file as uploaded: its name and content.</summary>
public sealed record EvidenceUpload(string Name, byte[] Content);

/// <summary>
/// The evidence files a submission may carry (contract §2): PDF, PNG, JPEG, XLSX or DOCX, recognised by their content
/// (PDF <c>%PDF-</c>; PNG's signature; JPEG <c>FF D8 FF</c>; XLSX and DOCX are zip packages with
/// <c>[Content_Types].xml</c> and an <c>xl/</c> or a <c>word/</c> part), at most <see cref="MaxBytes"/> each and
/// <see cref="MaxFiles"/> per submission. A file whose content is another type than its name says is refused.
/// </summary>
public static class EvidenceTypes
{
    /// <summary>Most bytes of one file (20 MiB).</summary>
    public const int MaxBytes = 20 << 20;

    /// <summary>Most files in one submission.</summary>
    public const int MaxFiles = 10;

    /// <summary>The type the content is, or null for none of the five.</summary>
    public static string? Recognise(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith("%PDF-"u8)) return "pdf";
        if (content.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return "png";
        if (content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return "jpeg";
        if (content.StartsWith("PK\u0003\u0004"u8)) return Package(content.ToArray());
        return null;
    }

    /// <summary>The type a file name claims by its extension, or null.</summary>
    public static string? Claimed(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".pdf" => "pdf",
        ".png" => "png",
        ".jpg" or ".jpeg" => "jpeg",
        ".xlsx" => "xlsx",
        ".docx" => "docx",
        _ => null,
    };

    /// <summary>
    /// Checks a submission's files and describes them (name, type, size, SHA-256); every problem is listed in one
    /// <see cref="InputRejectedException"/>.
    /// </summary>
    public static IReadOnlyList<EvidenceFile> Check(IReadOnlyList<EvidenceUpload> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var errors = new List<InputError>();
        if (files.Count == 0) errors.Add(new InputError("-", 1, "-", "申请销号须附至少一个佐证材料文件"));
        if (files.Count > MaxFiles) errors.Add(new InputError("-", 1, "-", $"一次申请最多附 {MaxFiles} 个文件，这里有 {files.Count} 个", TooLarge: true));
        var result = new List<EvidenceFile>();
        foreach (var file in files)
        {
            var name = UploadNames.Of(file.Name);
            if (name.Length == 0) name = "(未命名)";
            if (file.Content.Length > MaxBytes)
            {
                errors.Add(new InputError(name, 1, "-", $"文件有 {file.Content.Length} 字节，超过 {MaxBytes >> 20} MiB 的上限", TooLarge: true));
                continue;
            }
            var actual = Recognise(file.Content);
            var claimed = Claimed(name);
            if (actual is null)
                errors.Add(new InputError(name, 1, "-", "只接受 PDF、PNG、JPEG、XLSX 或 DOCX 文件（按内容识别），这个文件不是其中任何一种"));
            else if (claimed is null)
                errors.Add(new InputError(name, 1, "-", $"文件内容是 {actual.ToUpperInvariant()}，但文件名的扩展名不是 .pdf、.png、.jpg、.jpeg、.xlsx 或 .docx"));
            else if (claimed != actual)
                errors.Add(new InputError(name, 1, "-", $"文件名表明是 {claimed.ToUpperInvariant()}，内容却是 {actual.ToUpperInvariant()}，不予接受"));
            else
                result.Add(new EvidenceFile(name, actual, file.Content.LongLength, Convert.ToHexStringLower(SHA256.HashData(file.Content))));
        }
        if (errors.Count > 0) throw InputRejectedException.For(errors[0].File, errors);
        return result;
    }

    private static string? Package(byte[] content)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
            var names = zip.Entries.Select(e => e.FullName).ToList();
            if (!names.Contains("[Content_Types].xml")) return null;
            var xl = names.Any(n => n.StartsWith("xl/", StringComparison.Ordinal));
            var word = names.Any(n => n.StartsWith("word/", StringComparison.Ordinal));
            return xl && !word ? "xlsx" : word && !xl ? "docx" : null;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            return null;
        }
    }
}
