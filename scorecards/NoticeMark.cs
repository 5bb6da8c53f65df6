using System.Security.Cryptography;
using System.Text;
using BaiQianWan.Assess.Scorecards.Layout;
using BaiQianWan.Assess.Scorecards.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;

namespace BaiQianWan.Assess.Scorecards;

/// <summary>
/// What a publication's state adds to a stored document when it is served (公示、复核): while the publication is provisional,
/// a 公示稿 mark with the deadline on every page; once a publication that went through notice is final, on its bulletins the
/// statement of the requests received and corrected. A publication made final directly adds nothing (no mark is made).
/// </summary>
/// <param name="Deadline">The provisional publication's deadline as people read it (<c>2026-03-15 24:00（北京时间）</c>), or null.</param>
/// <param name="Statement">The final bulletin's statement (<c>公示期间收到复核申请 N 件，更正 M 件</c>), or null.</param>
/// <param name="Seed">
/// What identifies the mark (the publication and its state): with the stored document's bytes it seeds the PDF's id, so the
/// same notice gives the same bytes, and another notice other bytes.
/// </param>
public sealed record NoticeMark(string? Deadline, string? Statement, string Seed)
{
    /// <summary>The words of the provisional mark.</summary>
    public const string Provisional = "公示稿";

    /// <summary>The line under the mark: <c>复核申请截止 2026-03-15 24:00（北京时间）</c>.</summary>
    public string? DeadlineLine => Deadline is null ? null : $"复核申请截止 {Deadline}";

    /// <summary>True when the mark draws something on a document of this kind (the statement is for bulletins only).</summary>
    public bool Draws(bool bulletin) => Deadline is not null || bulletin && Statement is not null;

    /// <summary>
    /// Stamps a rendered PDF: opens it with PDFsharp, draws the mark in the top margin of every page (and a light diagonal
    /// 公示稿 across each page) with the embedded Chinese font, the statement in the top margin of the first page of a bulletin,
    /// and saves it with the renderer's settings (compressed, the id from the seed and the input's SHA-256, the input's dates,
    /// the random font tags and XMP ids fixed): the same input and mark give byte-identical output. Nothing to draw: the input
    /// itself. Bytes that are not a PDF (no <c>%PDF-</c> header) are returned as they are.
    /// </summary>
    public byte[] Apply(byte[] pdf, bool bulletin)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        if (!Draws(bulletin) || !IsPdf(pdf)) return pdf;
        var faces = Fonts.Faces; // installs the font resolver first
        var key = $"notice-mark\n{Seed}\n{Convert.ToHexStringLower(SHA256.HashData(pdf))}";
        using var input = new MemoryStream(pdf, writable: false);
        using var document = PdfReader.Open(input, PdfDocumentOpenMode.Modify);
        document.Options.CompressContentStreams = true;
        document.Options.FlateEncodeMode = PdfFlateEncodeMode.Default;
        // As the renderer (Canvas): the mark's font subset written uncompressed, then trimmed and deflated once (FontSubsets).
        document.Options.NoCompression = true;
        var id = Encoding.Latin1.GetString(SHA256.HashData(Encoding.UTF8.GetBytes(key)), 0, 16);
        document.Internals.FirstDocumentID = id;
        document.Internals.SecondDocumentID = id;
        var regular = new XFont(faces[0].Name, Size, XFontStyleEx.Regular, new XPdfFontOptions(PdfFontEncoding.Unicode));
        // One face and style for every word (one embedded subset: a second style would embed the face again).
        var big = new XFont(faces[0].Name, 96, XFontStyleEx.Regular, new XPdfFontOptions(PdfFontEncoding.Unicode));
        for (var i = 0; i < document.PageCount; i++)
        {
            // A page with nothing to draw is not opened: an empty drawing would leave an empty compressed stream behind.
            var statement = bulletin && Statement is not null && i == 0;
            if (Deadline is null && !statement) continue;
            var page = document.Pages[i];
            using var g = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var width = page.Width.Point;
            var height = page.Height.Point;
            if (Deadline is not null) DrawProvisional(g, faces[0], regular, big, width, height);
            if (statement) DrawStatement(g, faces[0], regular, width);
        }
        using var output = new MemoryStream();
        document.Save(output, false);
        var bytes = FontSubsets.Trim(output.ToArray(), document.Options.FlateEncodeMode);
        // PDFsharp dates a modified document's /ModDate with the wall clock when it saves it: the input's date goes back in its
        // place (the same length: the offsets stay valid), so the stamped file keeps the run's dates as the XMP does.
        if (!CopyModDate(pdf, bytes)) throw new InvalidOperationException("公示稿标记：PDF 的修改日期无法保持不变");
        Reproducible.Fix(bytes, key);
        return bytes;
    }

    private const double Size = 8;
    private static readonly XColor Red = Theme.Red;
    private static readonly XColor Watermark = XColor.FromArgb(28, 0xC6, 0x28, 0x28);

    private void DrawProvisional(XGraphics g, FontFace face, XFont regular, XFont big, double width, double height)
    {
        // Top right, in the margin above the content (Theme.MarginTop): a red box 公示稿, then the deadline.
        var right = width - Theme.MarginX;
        var line = DeadlineLine!;
        var lineWidth = Measure(face, line, Size);
        var markWidth = Measure(face, Provisional, Size) + 8;
        var top = 12.0;
        var boxHeight = Size * Theme.LineFactor + 2;
        var baseline = top + 1 + Size * (face.Ascent + (Theme.LineFactor - face.Ascent - face.Descent) / 2);
        var x = right - lineWidth - 6 - markWidth;
        g.DrawRectangle(new XPen(Red, 0.8), x, top, markWidth, boxHeight);
        g.DrawString(Provisional, regular, new XSolidBrush(Red), x + 4, baseline);
        g.DrawString(line, regular, new XSolidBrush(Red), right - lineWidth, baseline);
        // Across the page, light enough to read the figures through.
        var state = g.Save();
        g.RotateAtTransform(-35, new XPoint(width / 2, height / 2));
        var w = Measure(face, Provisional, 96);
        g.DrawString(Provisional, big, new XSolidBrush(Watermark), width / 2 - w / 2, height / 2 + 96 * 0.35);
        g.Restore(state);
    }

    private void DrawStatement(XGraphics g, FontFace face, XFont regular, double width)
    {
        // Top left of the first page, above the title; the provisional mark (if any) is on the right.
        var baseline = 13 + Size * (face.Ascent + (Theme.LineFactor - face.Ascent - face.Descent) / 2);
        g.DrawString(Statement!, regular, new XSolidBrush(Theme.Text), Theme.MarginX, baseline);
    }

    private static double Measure(FontFace face, string text, double size)
    {
        var w = 0.0;
        foreach (var r in text.EnumerateRunes()) w += face.Advance(r.Value);
        return w * size;
    }

    private static bool CopyModDate(byte[] from, byte[] to)
    {
        var source = ModDate(from);
        var target = ModDate(to);
        if (source.Length < 0 || target.Length != source.Length) return false;
        from.AsSpan(source.Start, source.Length).CopyTo(to.AsSpan(target.Start, target.Length));
        return true;
    }

    /// <summary>Where the value of the first <c>/ModDate(…)</c> lies, or length −1.</summary>
    private static (int Start, int Length) ModDate(byte[] pdf)
    {
        var at = pdf.AsSpan().IndexOf("/ModDate("u8);
        if (at < 0) return (0, -1);
        var start = at + "/ModDate("u8.Length;
        var end = pdf.AsSpan(start).IndexOf((byte)')');
        return end < 0 ? (0, -1) : (start, end);
    }

    private static bool IsPdf(byte[] bytes) => bytes.AsSpan().StartsWith("%PDF-"u8);

    /// <summary>Characters of <paramref name="text"/> the mark's face does not have (the mark draws only what it has).</summary>
    internal static IEnumerable<char> Missing(string text) => text.Where(c => !char.IsWhiteSpace(c) && !Fonts.Faces[0].Has(c));
}
