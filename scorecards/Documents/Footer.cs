using BaiQianWan.Assess.Scorecards.Layout;
using BaiQianWan.Assess.Scorecards.Views;
using PdfSharp.Drawing;

namespace BaiQianWan.Assess.Scorecards.Documents;

/// <summary>The footer of every page: where the numbers came from, when, and page X / Y.</summary>
internal static class Footer
{
    public static void Draw(Canvas canvas, XGraphics g, FooterView f, int page, int pages)
    {
        var top = Theme.PageHeight - Theme.FooterHeight + 4;
        var left = Theme.MarginX;
        var right = Theme.MarginX + Theme.ContentWidth;
        canvas.Line(Theme.Rule, 0.5, left, top, right, top, g);
        var line1 = $"运行 {f.RunId}　规则集 {f.Ruleset}　数据 SHA-256 {f.Data}";
        var line2 = $"运行时间 {f.Time}　本文件由考核评价系统依据上述规则集与数据生成，同样的输入生成同样的文件";
        canvas.Text(line1, Theme.Footer, Theme.Muted, left, top + 4, on: g);
        canvas.Text(line2, Theme.Footer, Theme.Muted, left, top + 4 + canvas.LineHeight(Theme.Footer), on: g);
        canvas.TextRight($"第 {page} / {pages} 页", Theme.Small, Theme.Text, right, top + 5, on: g);
        if (f.Sample)
        {
            const string mark = "示例数据";
            var w = canvas.Width(mark, Theme.Small) + 8;
            var x = right - w;
            var y = top + 5 + canvas.LineHeight(Theme.Small) + 1;
            g.DrawRectangle(new XPen(Theme.Red, 0.8), x, y, w, canvas.LineHeight(Theme.Small) + 2);
            canvas.Text(mark, Theme.Small, Theme.Red, x + 4, y + 1, bold: true, on: g);
        }
    }
}
