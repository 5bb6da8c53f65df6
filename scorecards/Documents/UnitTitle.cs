using BaiQianWan.Assess.Scorecards.Layout;

namespace BaiQianWan.Assess.Scorecards.Documents;

/// <summary>The unit's name in the title size with its code after it, as every one-unit document heads its page.</summary>
internal static class UnitTitle
{
    /// <summary>Draws the name and <c>代码 …</c> at <paramref name="y"/>; returns the line below.</summary>
    public static double Draw(Canvas c, string name, string code, double x, double y)
    {
        // A long name is set smaller rather than run past the margin.
        var codeText = $"代码 {code}";
        var room = Theme.ContentWidth - c.Width(codeText, Theme.Body) - 8;
        var nameSize = Math.Max(9, Math.Min(Theme.Title, Theme.Title * room / Math.Max(1, c.Width(name, Theme.Title))));
        var nameWidth = c.Text(name, nameSize, Theme.Text, x, y + (Theme.Title - nameSize) / 2, bold: true);
        c.Text(codeText, Theme.Body, Theme.Muted, x + nameWidth + 8, y + Theme.Title - Theme.Body - 1);
        return y + c.LineHeight(Theme.Title);
    }
}
