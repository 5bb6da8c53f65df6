using System.Diagnostics;

namespace BaiQianWan.Assess.Tests.Scorecards;

/// <summary>Reads rendered PDFs back with poppler-utils (pdftotext, pdfinfo, pdffonts), as a reader's tools would.</summary>
internal static class Pdf
{
    /// <summary>The text of the PDF (pages separated by form feeds), layout preserved.</summary>
    public static string Text(byte[] pdf, bool layout = false) => Run("pdftotext", pdf, (layout ? "-layout " : "") + "-enc UTF-8 {0} -");

    /// <summary>The text of one page (1-based).</summary>
    public static string PageText(byte[] pdf, int page) => Run("pdftotext", pdf, $"-f {page} -l {page} -enc UTF-8 {{0}} -");

    /// <summary>The text without any whitespace: pdftotext's spacing between Chinese and Latin text varies.</summary>
    public static string Flat(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", "");

    /// <summary>Each word with its box (points from the page's top left), page by page: pdftotext -bbox.</summary>
    public static List<(int Page, string Word, double XMin, double YMin, double XMax, double YMax)> Words(byte[] pdf)
    {
        var html = Run("pdftotext", pdf, "-bbox -enc UTF-8 {0} -");
        var words = new List<(int, string, double, double, double, double)>();
        var page = 0;
        foreach (var line in html.Split('\n'))
        {
            if (line.Contains("<page ", StringComparison.Ordinal)) page++;
            var m = System.Text.RegularExpressions.Regex.Match(line,
                "<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" xMax=\"([0-9.]+)\" yMax=\"([0-9.]+)\">(.*)</word>");
            if (!m.Success) continue;
            double D(int g) => double.Parse(m.Groups[g].Value, System.Globalization.CultureInfo.InvariantCulture);
            words.Add((page, System.Net.WebUtility.HtmlDecode(m.Groups[5].Value), D(1), D(2), D(3), D(4)));
        }
        return words;
    }

    public static string Info(byte[] pdf) => Run("pdfinfo", pdf, "{0}");

    /// <summary>One page drawn by pdftoppm (poppler's renderer, FreeType for the glyphs) as PNG bytes.</summary>
    public static byte[] Png(byte[] pdf, int page, int dpi = 100)
    {
        var prefix = Path.Combine(Path.GetTempPath(), $"page-{Guid.NewGuid():N}");
        try
        {
            Run("pdftoppm", pdf, $"-png -r {dpi} -f {page} -l {page} -singlefile {{0}} {prefix}");
            return File.ReadAllBytes(prefix + ".png");
        }
        finally
        {
            File.Delete(prefix + ".png");
        }
    }

    public static string Fonts(byte[] pdf) => Run("pdffonts", pdf, "{0}");

    private static string Run(string tool, byte[] pdf, string args)
    {
        var path = Path.Combine(Path.GetTempPath(), $"scorecard-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(path, pdf);
        try
        {
            var psi = new ProcessStartInfo(tool, string.Format(System.Globalization.CultureInfo.InvariantCulture, args, path))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = System.Text.Encoding.UTF8,
            };
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd();
            var error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"{tool} failed ({p.ExitCode}): {error}");
            Assert.True(error.Trim().Length == 0, $"{tool} complained about the PDF: {error}");
            return output;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
