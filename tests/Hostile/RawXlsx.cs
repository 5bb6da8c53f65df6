using System.IO.Compression;
using System.Text;

namespace BaiQianWan.Assess.Tests.Hostile;

/// <summary>XLSX packages written part by part, so a test can put anything in the sheet XML (a bomb, a DTD, a truncation).</summary>
internal static class RawXlsx
{
    public const string SheetHead = """<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""";

    public const string SheetTail = "</sheetData></worksheet>";

    /// <summary>A row of inline-string cells (A, B, …) numbered <paramref name="row"/>.</summary>
    public static string Row(int row, params string[] cells) =>
        $"<row r=\"{row}\">" + string.Concat(cells.Select((c, i) => $"<c r=\"{(char)('A' + i)}{row}\" t=\"inlineStr\"><is><t>{c}</t></is></c>")) + "</row>";

    /// <summary>A package whose first sheet is <paramref name="sheetXml"/> (written as it is).</summary>
    public static byte[] Package(string sheetXml) => Package(writer => writer.Write(Encoding.UTF8.GetBytes(sheetXml)));

    /// <summary>A package whose first sheet's bytes come from <paramref name="writeSheet"/> (for parts too large to hold as a string).</summary>
    public static byte[] Package(Action<Stream> writeSheet)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>""");
            Add(zip, "_rels/.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
            Add(zip, "xl/workbook.xml", """<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="observations" sheetId="1" r:id="rId1"/></sheets></workbook>""");
            Add(zip, "xl/_rels/workbook.xml.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>""");
            var sheet = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Optimal);
            using var stream = sheet.Open();
            writeSheet(stream);
        }
        return output.ToArray();
    }

    private static void Add(ZipArchive zip, string name, string text)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Writes <paramref name="count"/> copies of one byte in 1 MiB chunks.</summary>
    public static void Repeat(Stream stream, byte value, long count)
    {
        var chunk = new byte[1 << 20];
        Array.Fill(chunk, value);
        for (var left = count; left > 0; left -= chunk.Length) stream.Write(chunk, 0, (int)Math.Min(chunk.Length, left));
    }
}
