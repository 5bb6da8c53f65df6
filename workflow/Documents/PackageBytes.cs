using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace BaiQianWan.Assess.Workflow.Documents;

/// <summary>
/// Makes an Office Open XML package (XLSX) byte-identical for the same content: parts in a fixed order
/// (<c>[Content_Types].xml</c> first, as Office writes it and some readers expect, then <c>_rels/.rels</c>, then the
/// rest by name), zip entry times fixed, and the package relationship ids, which the SDK draws at random and nothing
/// refers to, numbered.
/// </summary>
internal static partial class PackageBytes
{
    public static byte[] Deterministic(byte[] package)
    {
        using var input = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in input.Entries.OrderBy(e => e.FullName switch { "[Content_Types].xml" => 0, "_rels/.rels" => 1, _ => 2 })
                         .ThenBy(e => e.FullName, StringComparer.Ordinal))
            {
                var copy = zip.CreateEntry(entry.FullName, CompressionLevel.Optimal);
                copy.LastWriteTime = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
                using var from = entry.Open();
                using var to = copy.Open();
                if (entry.FullName == "_rels/.rels")
                {
                    using var reader = new StreamReader(from);
                    var n = 0;
                    var xml = PackageRelationshipId().Replace(reader.ReadToEnd(), _ => $"Id=\"rIdPackage{++n}\"");
                    to.Write(Encoding.UTF8.GetBytes(xml));
                }
                else from.CopyTo(to);
            }
        }
        return output.ToArray();
    }

    [GeneratedRegex("Id=\"R[0-9a-fA-F]+\"")]
    private static partial Regex PackageRelationshipId();
}
