using System.Security.Cryptography;
using System.Text;
using BaiQianWan.Assess.Scorecards.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace BaiQianWan.Assess.Scorecards.Layout;

/// <summary>
/// One PDF being drawn: its pages, a vertical cursor that flows onto new pages, text drawn face by face
/// (WenQuanYi, then the fallback, then □ with a report), and deterministic document metadata.
/// </summary>
internal sealed class Canvas : IDisposable
{
    // First: loading the fonts also installs the resolver and PDFsharp's licence, which a document needs.
    private readonly FontFace[] _faces = Fonts.Faces;
    private readonly PdfDocument _document = new();
    private readonly List<XGraphics> _pages = [];
    private readonly Dictionary<(int Face, double Size, bool Bold), XFont> _fonts = [];
    private readonly Dictionary<XColor, XSolidBrush> _brushes = [];
    private readonly List<MissingCharacter> _missing = [];
    private readonly HashSet<(int, string)> _reported = [];
    private readonly string _key;

    public Canvas(string title, string documentKey, DocumentStamp stamp)
    {
        _document.Info.Title = title;
        _document.Info.Creator = "BaiQianWan.Assess";
        _document.Options.CompressContentStreams = true;
        // The default level, not the fastest: the fastest made the embedded font subset (most of a file's bytes) half as
        // large again (a town scorecard 98 KB instead of 67 KB; the demo's 5,211 PDFs 522 MB instead of ~355 MB), for a
        // share of the drawing time (docs/benchmarks.md, "PDF size").
        _document.Options.FlateEncodeMode = PdfFlateEncodeMode.Default;
        // Font programs are written uncompressed and deflated once, trimmed, by FontSubsets.Trim in Finish.
        _document.Options.NoCompression = true;
        // The id and dates come from the run so that the same results give the same bytes.
        _key = stamp.RunId + "\n" + documentKey;
        var id = SHA256.HashData(Encoding.UTF8.GetBytes(_key));
        var idText = Encoding.Latin1.GetString(id, 0, 16);
        _document.Internals.FirstDocumentID = idText;
        _document.Internals.SecondDocumentID = idText;
        var at = stamp.At ?? DateTimeOffset.UnixEpoch;
        _document.Info.CreationDate = at.UtcDateTime;
        _document.Info.ModificationDate = at.UtcDateTime;
    }

    /// <summary>Called after a page is added (flowing content), to draw a running header; returns the new cursor.</summary>
    public Func<Canvas, double>? OnContinuationPage { get; set; }

    public XGraphics G => _pages[^1];

    public int PageCount => _pages.Count;

    /// <summary>The vertical cursor on the current page, in points from the top.</summary>
    public double Y { get; set; }

    public void NewPage()
    {
        var page = _document.AddPage();
        page.Width = XUnit.FromPoint(Theme.PageWidth);
        page.Height = XUnit.FromPoint(Theme.PageHeight);
        _pages.Add(XGraphics.FromPdfPage(page));
        Y = Theme.MarginTop;
    }

    /// <summary>Makes room for <paramref name="height"/> points, starting a continuation page when needed. True if a page was added.</summary>
    public bool Ensure(double height)
    {
        if (Y + height <= Theme.ContentBottom) return false;
        NewPage();
        if (OnContinuationPage is { } header) Y = header(this);
        return true;
    }

    /// <summary>Draws on every page (footers that need the page count), then saves.</summary>
    public RenderedDocument Finish(Action<Canvas, XGraphics, int, int> footer)
    {
        for (var i = 0; i < _pages.Count; i++) footer(this, _pages[i], i + 1, _pages.Count);
        foreach (var g in _pages) g.Dispose();
        using var stream = new MemoryStream();
        _document.Save(stream, false);
        // PDFsharp's subsets carry the whole face's metrics table; most of it is cleared, then deflated (FontSubsets.cs).
        var bytes = FontSubsets.Trim(stream.ToArray(), _document.Options.FlateEncodeMode);
        Reproducible.Fix(bytes, _key);
        return new RenderedDocument(bytes, _pages.Count, [.. _missing]);
    }

    public void Dispose()
    {
        _document.Dispose();
    }

    // ---- text ----

    public double LineHeight(double size) => size * Theme.LineFactor;

    public double Width(string text, double size)
    {
        var w = 0.0;
        foreach (var r in text.EnumerateRunes()) w += Advance(r.Value);
        return w * size;
    }

    /// <summary>Draws one line of text with its top at <paramref name="top"/>.</summary>
    public double Text(string text, double size, XColor color, double x, double top, bool bold = false, XGraphics? on = null)
    {
        var g = on ?? G;
        var baseline = top + size * (_faces[0].Ascent + (Theme.LineFactor - _faces[0].Ascent - _faces[0].Descent) / 2);
        var brush = Brush(color);
        var runFace = -2;
        var sb = new StringBuilder();
        var cursor = x;
        foreach (var r in text.EnumerateRunes())
        {
            var face = FaceOf(r.Value, text);
            if (face != runFace && sb.Length > 0)
            {
                cursor += DrawRun(g, sb, runFace, size, bold, brush, cursor, baseline);
                sb.Clear();
            }
            runFace = face;
            if (face < 0) sb.Append(Fonts.Replacement);
            else if (r.IsBmp) sb.Append((char)r.Value);
            else sb.Append(r.ToString());
        }
        if (sb.Length > 0) cursor += DrawRun(g, sb, runFace, size, bold, brush, cursor, baseline);
        return cursor - x;
    }

    public void TextRight(string text, double size, XColor color, double right, double top, bool bold = false, XGraphics? on = null) =>
        Text(text, size, color, right - Width(text, size), top, bold, on);

    public void TextCentered(string text, double size, XColor color, double center, double top, bool bold = false, XGraphics? on = null) =>
        Text(text, size, color, center - Width(text, size) / 2, top, bold, on);

    /// <summary>Draws wrapped text; returns the height used.</summary>
    public double Paragraph(string text, double size, XColor color, double x, double top, double width, bool bold = false)
    {
        var lines = Wrap(text, size, width);
        for (var i = 0; i < lines.Count; i++) Text(lines[i], size, color, x, top + i * LineHeight(size), bold);
        return lines.Count * LineHeight(size);
    }

    /// <summary>
    /// Breaks text into lines no wider than <paramref name="width"/>: between any two Chinese characters, but
    /// not inside a run of Latin letters, digits and number punctuation unless the run alone is too wide.
    /// </summary>
    public List<string> Wrap(string text, double size, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            var line = new StringBuilder();
            var lineWidth = 0.0;
            foreach (var token in Tokens(paragraph))
            {
                var w = Width(token, size);
                if (lineWidth + w <= width || line.Length == 0 && w <= width)
                {
                    line.Append(token);
                    lineWidth += w;
                    continue;
                }
                if (w <= width)
                {
                    lines.Add(line.ToString().TrimEnd());
                    line.Clear();
                    var t = token.TrimStart();
                    line.Append(t);
                    lineWidth = Width(t, size);
                    continue;
                }
                foreach (var r in token.EnumerateRunes())
                {
                    var rw = Advance(r.Value) * size;
                    if (lineWidth + rw > width && line.Length > 0)
                    {
                        lines.Add(line.ToString());
                        line.Clear();
                        lineWidth = 0;
                    }
                    line.Append(r.ToString());
                    lineWidth += rw;
                }
            }
            lines.Add(line.ToString().TrimEnd());
        }
        return lines;
    }

    private static IEnumerable<string> Tokens(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            // An opening mark stays with what follows it.
            while (i < text.Length - 1 && IsOpening(text[i])) i++;
            if (IsWordChar(text[i]))
            {
                while (i < text.Length && IsWordChar(text[i])) i++;
                // A closing mark stays with the word before it.
                while (i < text.Length && IsClosing(text[i])) i++;
            }
            else
            {
                i += char.IsSurrogatePair(text, i) ? 2 : 1;
                while (i < text.Length && IsClosing(text[i])) i++;
            }
            yield return text[start..i];
        }
    }

    private static bool IsWordChar(char c) => c < 0x2000 && (char.IsLetterOrDigit(c) || c is '.' or '%' or '+' or '-' or ',' or '_' or '/' or '(' or ')' or ':' or '=' or '×') || c == '−';

    private static bool IsOpening(char c) => c is '“' or '（' or '「' or '《' or '(' or '‘';

    private static bool IsClosing(char c) => c is '，' or '。' or '、' or '；' or '：' or '）' or '」' or '”' or '！' or '？' or ',' or ';' or ')' or ' ';

    private double Advance(int codePoint)
    {
        foreach (var f in _faces)
            if (f.Has(codePoint)) return f.Advance(codePoint);
        return _faces[0].Advance(Fonts.Replacement);
    }

    private int FaceOf(int codePoint, string context)
    {
        for (var f = 0; f < _faces.Length; f++)
            if (_faces[f].Has(codePoint)) return f;
        if (codePoint is '\t' or '\r') return 0;
        if (_reported.Add((codePoint, context))) _missing.Add(new MissingCharacter(codePoint, context));
        return -1;
    }

    private double DrawRun(XGraphics g, StringBuilder run, int face, double size, bool bold, XBrush brush, double x, double baseline)
    {
        var text = run.ToString();
        var font = Font(Math.Max(face, 0), size, bold);
        g.DrawString(text, font, brush, x, baseline);
        return Width(face < 0 ? new string(Fonts.Replacement, run.Length) : text, size);
    }

    private XFont Font(int face, double size, bool bold)
    {
        if (_fonts.TryGetValue((face, size, bold), out var font)) return font;
        font = new XFont(_faces[face].Name, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular,
            new XPdfFontOptions(PdfFontEncoding.Unicode));
        _fonts[(face, size, bold)] = font;
        return font;
    }

    // ---- shapes ----

    public XSolidBrush Brush(XColor color)
    {
        if (!_brushes.TryGetValue(color, out var b)) _brushes[color] = b = new XSolidBrush(color);
        return b;
    }

    public void Fill(XColor color, double x, double y, double w, double h) => G.DrawRectangle(Brush(color), x, y, w, h);

    public void Box(XColor color, double width, double x, double y, double w, double h) =>
        G.DrawRectangle(new XPen(color, width), x, y, w, h);

    public void Line(XColor color, double width, double x1, double y1, double x2, double y2, XGraphics? on = null) =>
        (on ?? G).DrawLine(new XPen(color, width), x1, y1, x2, y2);

}
