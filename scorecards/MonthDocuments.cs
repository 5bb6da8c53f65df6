using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Scorecards.Views;

namespace BaiQianWan.Assess.Scorecards;

/// <summary>
/// A month's documents from the monitor's result (monitor.md §3, §4): the level's monthly bulletin (月通报) and one page
/// per unit with its chart. Pure and thread-safe like <see cref="ScorecardRenderer"/>; the same result and stamp give the
/// same bytes.
/// </summary>
public static class MonthDocuments
{
    /// <summary>The level's bulletin: <c>bulletins/&lt;level&gt;.pdf</c> in a document set.</summary>
    /// <param name="result">The month's results.</param>
    /// <param name="stamp">The run: printed in the footer, and the source of the PDF's id and dates.</param>
    public static RenderedDocument RenderBulletin(MonthResult result, DocumentStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(stamp);
        return MonthRenderer.RenderBulletin(Sheet(result), stamp);
    }

    /// <summary>A unit's one-page month document: <c>units/&lt;code&gt;.pdf</c> in a document set.</summary>
    /// <param name="result">The month's results.</param>
    /// <param name="unitCode">A unit of <paramref name="result"/>.</param>
    /// <param name="stamp">The run.</param>
    /// <param name="earlier">
    /// Optional: earlier months' results of the same monitor and year, for a result without <c>history</c> (the chart's
    /// earlier points); a result with its history needs none.
    /// </param>
    /// <exception cref="ArgumentException">The unit is not in the result.</exception>
    public static RenderedDocument RenderUnit(MonthResult result, string unitCode, DocumentStamp stamp, IEnumerable<MonthResult>? earlier = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(stamp);
        return MonthRenderer.RenderUnit(Sheet(result), unitCode, earlier?.Select(Sheet) ?? [], stamp);
    }

    /// <summary>
    /// The bulletin (<c>bulletins/&lt;level&gt;.pdf</c>) then every unit's page (<c>units/&lt;code&gt;.pdf</c>, in the result's
    /// order), drawn <paramref name="parallelism"/> at a time; the output does not depend on the parallelism.
    /// </summary>
    public static ImmutableArray<NamedDocument> RenderAll(MonthResult result, DocumentStamp stamp, int parallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(stamp);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var sheet = Sheet(result);
        var paths = new[] { $"bulletins/{DocumentSet.FileName(result.Monitor.Level.ToText())}.pdf" }
            .Concat(sheet.Units.Select(u => $"units/{DocumentSet.FileName(u.Code)}.pdf")).ToArray();
        var documents = new RenderedDocument[paths.Length];
        Parallel.For(0, paths.Length, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, i =>
            documents[i] = i == 0 ? MonthRenderer.RenderBulletin(sheet, stamp) : MonthRenderer.RenderUnit(sheet, sheet.Units[i - 1].Code, [], stamp));
        return [.. paths.Select((p, i) => new NamedDocument(p, documents[i]))];
    }

    /// <summary>What the documents read of a month's result.</summary>
    internal static MonthSheet Sheet(MonthResult result)
    {
        var m = result.Monitor;
        var lights = result.Lights.ToDictionary(l => l.Id, l => l.Name, StringComparer.Ordinal);
        string Name(string id) => lights.GetValueOrDefault(id, id);
        return new MonthSheet(
            m.Id, m.Name, m.Version, m.Sha256, result.DataSha256, m.Level.ToChinese(), result.Period.Year, result.Month, m.Decimals,
            m.Classes,
            [.. result.Lights.Select(l => new MonthLight(l.Id, l.Name))],
            [.. result.Indicators.Select(i => new MonthIndicator(i.Id, i.Name, i.Unit ?? "", i.Metric, i.PaceBy, i.Pace, i.Better))],
            [.. result.Units.Select(u => new MonthUnit(u.Code, u.Name, u.Class, u.Parent, [.. u.Indicators.Select(f => new MonthFigures(
                f.Id, f.Actual, f.Target, f.Baseline, f.Plan, f.Progress, f.Pace, f.Gap, f.Growth, f.Value,
                f.Rank, f.Peers, f.LevelRank, f.LevelPeers, f.Light, f.PlainLight, f.Streak, f.Missing, f.Explain)
            {
                // The escalation in the words of the explanation (§3): 连续 2 个月黄灯及以上，升为红灯.
                Escalation = f.Escalation is { } e ? $"连续 {e.Months} 个月{Name(e.Light)}及以上，升为{Name(e.To)}" : null,
                History = f.History.IsDefault ? [] : [.. f.History.Select(p => new MonthHistoryPoint(p.Month, p.Figure, p.Pace))],
            })]))]);
    }
}
