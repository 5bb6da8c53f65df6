using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Workflow.Imports;

/// <summary>
/// Reads the first worksheet of an XLSX file as text records numbered by their spreadsheet row, as a stream:
/// the package is opened as a zip, and the workbook, its relationships, the shared strings and the sheet are read
/// with an <see cref="XmlReader"/> over each part, never as a document tree. Every bound of <see cref="DataLimits"/>
/// (unpacked bytes, rows, cells, characters) is checked while reading, so a zip bomb or a huge inline string is
/// refused after reading at most the bound; a DTD (DOCTYPE) or malformed XML is refused with the part's line and column.
/// </summary>
internal static class XlsxCells
{
    private const string OfficeDocument = "/officeDocument";
    private const string SharedStrings = "/sharedStrings";

    /// <summary>The last row of a worksheet (Excel, WPS and LibreOffice alike): 2^20.</summary>
    public const int MaxSheetRow = 1_048_576;

    /// <summary>Records (row number, cell texts by column from A); a bad or oversized file throws <see cref="XlsxRejectedException"/>.</summary>
    public static List<(int Row, string[] Fields)> Read(byte[] content, string fileName)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Length > DataLimits.MaxFileBytes)
            throw Rejected(fileName, 1, "-", $"文件有 {content.Length} 字节，超过 {DataLimits.MaxFileBytes / (1 << 20)} MiB 的上限，不予处理", tooLarge: true);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
            _ = zip.Entries.Count; // the central directory is read here, not lazily later
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            throw Rejected(fileName, 1, "-", "不是有效的 XLSX 文件（无法作为 zip 打开）");
        }
        using (zip)
        {
            var reader = new Reader(zip, fileName);
            try
            {
                return reader.ReadFirstSheet();
            }
            catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
            {
                // A part whose compressed data is damaged or uses a method zip readers do not know.
                throw Rejected(fileName, 1, "-", "不是有效的 XLSX 文件（zip 内容损坏）");
            }
        }
    }

    /// <summary>
    /// A numeric cell as the spreadsheet shows it: Excel stores some typed values with 17 significant digits
    /// (1.1 as 1.1000000000000001) and small ones with an exponent; it shows 15 digits, so that is what counts.
    /// </summary>
    internal static string Number(string stored)
    {
        if (stored.Length == 0) return "";
        var digits = stored.Count(char.IsAsciiDigit);
        if (digits <= 15 && !stored.Contains('E') && !stored.Contains('e')) return stored;
        if (!double.TryParse(stored, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d)) return stored;
        var shownText = d.ToString("G15", CultureInfo.InvariantCulture);
        // A magnitude decimal cannot hold is left as written; the row check then refuses it with its row and column.
        if (!decimal.TryParse(shownText, NumberStyles.Float, CultureInfo.InvariantCulture, out var shown)) return stored;
        return Rules.Evaluation.Numbers.Plain(shown);
    }

    private static XlsxRejectedException Rejected(string fileName, int row, string column, string message, bool tooLarge = false) =>
        new(new DataError(fileName, row, column, message, tooLarge));

    private sealed class Reader(ZipArchive zip, string fileName)
    {
        private long _unpacked;
        private long _characters;
        private int _cells;
        private int _row;

        public List<(int Row, string[] Fields)> ReadFirstSheet()
        {
            var workbookPath = Target("", "_rels/.rels", OfficeDocument) ?? "xl/workbook.xml";
            var workbookDir = Directory(workbookPath);
            var workbookRels = $"{workbookDir}_rels/{Path.GetFileName(workbookPath)}.rels";
            var sheetId = FirstSheetRelationship(workbookPath) ?? throw Rejected(fileName, 1, "-", "XLSX 文件没有工作表");
            var sheetPath = TargetById(workbookDir, workbookRels, sheetId) ?? throw Rejected(fileName, 1, "-", "XLSX 文件的第一个工作表不存在");
            var sharedPath = Target(workbookDir, workbookRels, SharedStrings);
            var shared = sharedPath is null ? [] : ReadSharedStrings(sharedPath);
            return ReadSheet(sheetPath, shared);
        }

        // ---- package structure ----

        private static string Directory(string path) => path.Contains('/') ? path[..(path.LastIndexOf('/') + 1)] : "";

        private static string Resolve(string baseDir, string target)
        {
            var combined = target.StartsWith('/') ? target[1..] : baseDir + target;
            var parts = new List<string>();
            foreach (var part in combined.Split('/'))
            {
                if (part is "" or ".") continue;
                if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); }
                else parts.Add(part);
            }
            return string.Join('/', parts);
        }

        /// <summary>The target of the first relationship in a .rels part whose type ends with <paramref name="typeSuffix"/>.</summary>
        private string? Target(string baseDir, string relsPath, string typeSuffix)
        {
            string? found = null;
            Walk(relsPath, optional: true, reader =>
            {
                if (found is null && reader.NodeType == XmlNodeType.Element && reader.LocalName == "Relationship"
                    && reader.GetAttribute("Type") is { } type && type.EndsWith(typeSuffix, StringComparison.Ordinal)
                    && reader.GetAttribute("TargetMode") != "External" && reader.GetAttribute("Target") is { } target)
                    found = Resolve(baseDir, target);
            });
            return found;
        }

        private string? TargetById(string baseDir, string relsPath, string id)
        {
            string? found = null;
            Walk(relsPath, optional: true, reader =>
            {
                if (found is null && reader.NodeType == XmlNodeType.Element && reader.LocalName == "Relationship"
                    && reader.GetAttribute("Id") == id && reader.GetAttribute("Target") is { } target)
                    found = Resolve(baseDir, target);
            });
            return found;
        }

        private string? FirstSheetRelationship(string workbookPath)
        {
            string? id = null;
            var walked = Walk(workbookPath, optional: true, reader =>
            {
                if (id is not null || reader.NodeType != XmlNodeType.Element || reader.LocalName != "sheet") return;
                for (var more = reader.MoveToFirstAttribute(); more; more = reader.MoveToNextAttribute())
                    if (reader.LocalName == "id" && reader.NamespaceURI.Contains("relationships", StringComparison.Ordinal)) id = reader.Value;
                reader.MoveToElement();
            });
            if (!walked) throw Rejected(fileName, 1, "-", "不是有效的 XLSX 文件（没有工作簿）");
            return id;
        }

        // ---- shared strings ----

        private string[] ReadSharedStrings(string path)
        {
            var strings = new List<string>();
            var text = new StringBuilder();
            var inItem = false;
            var phonetic = 0;
            Walk(path, optional: true, reader =>
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    switch (reader.LocalName)
                    {
                        case "si":
                            if (reader.IsEmptyElement) Add(strings, "", 0);
                            else
                            {
                                inItem = true;
                                text.Clear();
                            }
                            break;
                        case "rPh" when !reader.IsEmptyElement:
                            phonetic++;
                            break;
                        case "t" when inItem && phonetic == 0 && !reader.IsEmptyElement:
                            ReadText(reader, text, 1, "-");
                            break;
                    }
                }
                else if (reader.NodeType == XmlNodeType.EndElement)
                {
                    if (reader.LocalName == "rPh") phonetic--;
                    else if (reader.LocalName == "si" && inItem)
                    {
                        Add(strings, text.ToString(), text.Length);
                        inItem = false;
                    }
                }
            });
            return [.. strings];
        }

        private void Add(List<string> strings, string text, int length)
        {
            if (strings.Count >= DataLimits.MaxCells)
                throw Rejected(fileName, 1, "-", $"共享字符串超过 {DataLimits.MaxCells} 个，不予处理", tooLarge: true);
            Count(length, 1, "-");
            strings.Add(text);
        }

        // ---- the sheet ----

        private List<(int Row, string[] Fields)> ReadSheet(string path, string[] shared)
        {
            var records = new List<(int, string[])>();
            var cells = new SortedDictionary<int, string>();
            var rows = 0;
            var column = 0;
            string? reference = null, type = null, value = null, inline = null;
            var inCell = false;
            var text = new StringBuilder();
            var found = Walk(path, optional: true, reader =>
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    switch (reader.LocalName)
                    {
                        case "row":
                            if (++rows > DataLimits.MaxRows)
                                throw Rejected(fileName, _row + 1, "-", $"工作表超过 {DataLimits.MaxRows} 行，不予处理", tooLarge: true);
                            _row = RowNumber(reader.GetAttribute("r"));
                            cells.Clear();
                            column = 0;
                            if (reader.IsEmptyElement) EndRow(records, cells);
                            break;
                        case "c":
                            reference = reader.GetAttribute("r");
                            type = reader.GetAttribute("t");
                            value = null;
                            inline = null;
                            column = reference is not null && ColumnIndex(reference) is > 0 and var c ? c : column + 1;
                            if (column > DataLimits.MaxColumns)
                                throw Rejected(fileName, _row, "-", $"这一行超过 {DataLimits.MaxColumns} 列，不予处理", tooLarge: true);
                            inCell = !reader.IsEmptyElement;
                            if (!inCell) EndCell(cells, column, type, value, inline, shared);
                            break;
                        case "v" when inCell && !reader.IsEmptyElement:
                            text.Clear();
                            ReadText(reader, text, _row, ColumnName(column));
                            value = text.ToString();
                            break;
                        case "is" when inCell:
                            inline = "";
                            text.Clear();
                            break;
                        case "t" when inCell && inline is not null && !reader.IsEmptyElement:
                            ReadText(reader, text, _row, ColumnName(column));
                            inline = text.ToString();
                            break;
                    }
                }
                else if (reader.NodeType == XmlNodeType.EndElement)
                {
                    switch (reader.LocalName)
                    {
                        case "c" when inCell:
                            inCell = false;
                            EndCell(cells, column, type, value, inline, shared);
                            break;
                        case "row":
                            EndRow(records, cells);
                            break;
                    }
                }
            });
            if (!found) throw Rejected(fileName, 1, "-", "XLSX 文件的第一个工作表不存在");
            return records;
        }

        /// <summary>
        /// The number of the row being opened: its <c>r</c> attribute, or the one after the previous row when it has
        /// none. Rows go down the sheet and a sheet has at most <see cref="MaxSheetRow"/> of them, so a reference that is
        /// not a number, not after the previous row or past the last row a spreadsheet has is refused, at the row
        /// after the previous one (the position the reader had reached), never wrapped round to a negative number.
        /// </summary>
        private int RowNumber(string? reference)
        {
            var at = Math.Min(_row + 1L, MaxSheetRow);
            if (reference is null)
            {
                if (_row >= MaxSheetRow)
                    throw Rejected(fileName, MaxSheetRow, "-", $"工作表的行超过第 {MaxSheetRow} 行（电子表格的最后一行），不予处理");
                return _row + 1;
            }
            if (!long.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1 || number > MaxSheetRow)
                throw Rejected(fileName, (int)at, "-", $"行号 '{Shown(reference)}' 不合规（应为 1–{MaxSheetRow} 的整数）");
            if (number <= _row)
                throw Rejected(fileName, (int)at, "-", $"行号 {number} 不在上一行（第 {_row} 行）之后，工作表的行应自上而下排列");
            return (int)number;
        }

        private static string Shown(string text) => TextRules.Escape(text.Length > 20 ? text[..20] + "…" : text);

        private void EndCell(SortedDictionary<int, string> cells, int column, string? type, string? value, string? inline, string[] shared)
        {
            var raw = value ?? "";
            var text = type switch
            {
                "s" => int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < shared.Length ? shared[i] : "",
                "inlineStr" => inline ?? "",
                "b" => raw == "1" ? "TRUE" : "FALSE",
                null or "n" => Number(raw),
                _ => raw,
            };
            text = text.Trim();
            if (text.Length == 0) return;
            if (++_cells > DataLimits.MaxCells)
                throw Rejected(fileName, _row, ColumnName(column), $"工作表超过 {DataLimits.MaxCells} 个单元格，不予处理", tooLarge: true);
            if (text.Length > DataLimits.MaxCellCharacters)
                throw Rejected(fileName, _row, ColumnName(column), $"单元格超过 {DataLimits.MaxCellCharacters} 个字符，不予处理", tooLarge: true);
            Count(text.Length, _row, ColumnName(column));
            cells[column] = text;
        }

        private void EndRow(List<(int, string[])> records, SortedDictionary<int, string> cells)
        {
            if (cells.Count == 0) return;
            var fields = new string[cells.Keys.Max()];
            Array.Fill(fields, "");
            foreach (var (c, text) in cells) fields[c - 1] = text;
            records.Add((_row, fields));
        }

        private void Count(long characters, int row, string column)
        {
            _characters += characters;
            if (_characters > DataLimits.MaxTotalCharacters)
                throw Rejected(fileName, row, column, $"文件的文字超过 {DataLimits.MaxTotalCharacters / (1 << 20)} M 个字符，不予处理", tooLarge: true);
        }

        /// <summary>Reads an element's text in chunks, refusing it once it passes the cell bound (never holding more).</summary>
        private void ReadText(XmlReader reader, StringBuilder text, int row, string column)
        {
            var depth = reader.Depth;
            var buffer = new char[4096];
            while (reader.Read())
            {
                if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
                {
                    int n;
                    while ((n = reader.ReadValueChunk(buffer, 0, buffer.Length)) > 0)
                    {
                        if (text.Length + n > DataLimits.MaxCellCharacters)
                            throw Rejected(fileName, row, column, $"单元格超过 {DataLimits.MaxCellCharacters} 个字符，不予处理", tooLarge: true);
                        text.Append(buffer, 0, n);
                    }
                }
                else if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth) return;
            }
        }

        /// <summary>Streams one part through <paramref name="visit"/>; false when the part does not exist (and is optional).</summary>
        private bool Walk(string path, bool optional, Action<XmlReader> visit)
        {
            var entry = zip.GetEntry(path) ?? zip.Entries.FirstOrDefault(e => string.Equals(e.FullName, path, StringComparison.OrdinalIgnoreCase));
            if (entry is null)
            {
                if (optional) return false;
                throw Rejected(fileName, 1, "-", $"XLSX 文件缺少 {path}");
            }
            try
            {
                using var stream = new BoundedStream(entry.Open(), this, path);
                using var reader = XmlReader.Create(stream, new XmlReaderSettings
                {
                    DtdProcessing = DtdProcessing.Prohibit,
                    XmlResolver = null,
                    IgnoreComments = true,
                    IgnoreProcessingInstructions = true,
                    IgnoreWhitespace = true,
                    CloseInput = true,
                });
                while (reader.Read()) visit(reader);
                return true;
            }
            catch (XmlException e)
            {
                var what = e.Message.Contains("DTD", StringComparison.Ordinal) || e.Message.Contains("DOCTYPE", StringComparison.Ordinal)
                    ? "含有 DTD（DOCTYPE），不予处理"
                    : "XML 格式错误（文件被截断或损坏）";
                var at = e.LineNumber > 0 ? $" 第 {e.LineNumber} 行第 {e.LinePosition} 列" : "";
                throw Rejected(fileName, Math.Max(1, _row), "-", $"XLSX 文件的 {path}{at}：{what}");
            }
            catch (InvalidDataException)
            {
                throw Rejected(fileName, Math.Max(1, _row), "-", $"XLSX 文件的 {path} 无法解压（文件被截断或损坏）");
            }
        }

        private void Unpacked(long bytes, long partBytes, string path)
        {
            _unpacked += bytes;
            if (partBytes > DataLimits.MaxXlsxPartBytes || _unpacked > DataLimits.MaxXlsxUnpackedBytes)
                throw Rejected(fileName, Math.Max(1, _row), "-",
                    $"XLSX 文件的 {path} 解压后超过 {DataLimits.MaxXlsxPartBytes / (1 << 20)} MiB（或全部超过 {DataLimits.MaxXlsxUnpackedBytes / (1 << 20)} MiB），不予处理",
                    tooLarge: true);
        }

        /// <summary>Counts the bytes unpacked from one part and refuses past the bounds.</summary>
        private sealed class BoundedStream(Stream inner, Reader owner, string path) : Stream
        {
            private long _read;

            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => _read; set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            public override int Read(byte[] buffer, int offset, int count)
            {
                var n = inner.Read(buffer, offset, count);
                _read += n;
                owner.Unpacked(n, _read, path);
                return n;
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing) inner.Dispose();
                base.Dispose(disposing);
            }
        }
    }

    private static string ColumnName(int index)
    {
        var name = "";
        for (var i = index; i > 0; i = (i - 1) / 26) name = (char)('A' + (i - 1) % 26) + name;
        return name.Length == 0 ? "-" : name;
    }

    private static int ColumnIndex(string reference)
    {
        var index = 0;
        foreach (var ch in reference)
        {
            if (ch is < 'A' or > 'Z') break;
            index = index * 26 + (ch - 'A' + 1);
            if (index > 1_000_000) return index;
        }
        return index;
    }
}
