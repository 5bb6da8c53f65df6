using BaiQianWan.Assess.Scorecards.Documents;
using BaiQianWan.Assess.Scorecards.Layout;
using BaiQianWan.Assess.Scorecards.Views;

namespace BaiQianWan.Assess.Scorecards;

/// <summary>
/// Renders a month's documents (monitor.md §4) to PDF: a level's monthly bulletin (月通报) and a unit's one-page month
/// document. Pure: results in, bytes out; no clock, no files; the same inputs give the same bytes.
/// </summary>
internal static class MonthRenderer
{
    /// <summary>The level's monthly bulletin.</summary>
    public static RenderedDocument RenderBulletin(MonthSheet sheet, DocumentStamp stamp)
    {
        var view = MonthBulletinView.Build(sheet, stamp);
        using var canvas = new Canvas(view.Title, $"month-bulletin\n{sheet.PeriodLabel}\n{sheet.MonitorSha256}\n{sheet.DataSha256}", stamp);
        new MonthBulletinDocument(view).Compose(canvas);
        return canvas.Finish((c, g, page, pages) => Footer.Draw(c, g, view.Footer, page, pages));
    }

    /// <summary>A unit's month page; <paramref name="earlier"/>: the same monitor's results of earlier months of the year (for the chart).</summary>
    /// <exception cref="ArgumentException">The unit is not in the month's results.</exception>
    public static RenderedDocument RenderUnit(MonthSheet sheet, string unitCode, IEnumerable<MonthSheet> earlier, DocumentStamp stamp)
    {
        var view = UnitMonthView.Build(sheet, unitCode, earlier, stamp);
        using var canvas = new Canvas($"{view.UnitName} {view.Period} 主要指标月度监测", $"month-unit\n{sheet.PeriodLabel}\n{sheet.MonitorSha256}\n{sheet.DataSha256}\n{unitCode}", stamp);
        new UnitMonthDocument(view).Compose(canvas);
        return canvas.Finish((c, g, page, pages) => Footer.Draw(c, g, view.Footer, page, pages));
    }
}
