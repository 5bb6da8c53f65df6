using System.Globalization;
using BaiQianWan.Assess.Portal.Models;

namespace BaiQianWan.Assess.Portal.Components;

/// <summary>
/// Where the trend chart's marks go, computed before drawing: totals on the left scale (rounded out to tens),
/// ranks on the right scale (1 at the top, the largest class size at the bottom), quarters evenly spaced.
/// </summary>
public sealed class TrendGeometry
{
    /// <summary>The SVG's width in user units.</summary>
    public const double Width = 640;

    /// <summary>The SVG's height in user units.</summary>
    public const double Height = 260;

    /// <summary>The plotting area's edges.</summary>
    public const double Left = 48, Right = 592, Top = 20, Bottom = 216;

    /// <summary>
    /// How far the first and last quarters stand in from the axes, so that their labels (a quarter such as <c>2025Q4</c> and a
    /// total such as <c>112.00</c>, centred on the mark, about 44 units wide at the chart's 12-unit font) clear both axis lines.
    /// </summary>
    public const double Inset = 36;

    /// <summary>Computes the geometry of <paramref name="points"/> (oldest first; at least one).</summary>
    public TrendGeometry(IReadOnlyList<TrendPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0) throw new ArgumentException("no points", nameof(points));
        var lo = Math.Floor(points.Min(p => p.Total) / 10m) * 10m;
        var hi = Math.Ceiling(points.Max(p => p.Total) / 10m) * 10m;
        if (hi == lo) hi = lo + 10m;
        TotalMin = lo;
        TotalMax = hi;
        RankMax = Math.Max(2, points.Max(p => p.Peers));
        var step = points.Count == 1 ? 0 : (Right - Left - 2 * Inset) / (points.Count - 1);
        Marks = [.. points.Select((p, i) => new TrendMark(
            p, points.Count == 1 ? (Left + Right) / 2 : Left + Inset + i * step,
            Bottom - (double)((p.Total - lo) / (hi - lo)) * (Bottom - Top),
            Top + (p.Rank - 1) / (double)(RankMax - 1) * (Bottom - Top)))];
    }

    /// <summary>The left scale's bottom.</summary>
    public decimal TotalMin { get; }

    /// <summary>The left scale's top.</summary>
    public decimal TotalMax { get; }

    /// <summary>The right scale's bottom (the largest class).</summary>
    public int RankMax { get; }

    /// <summary>One mark per quarter.</summary>
    public IReadOnlyList<TrendMark> Marks { get; }

    /// <summary>The total line's points attribute.</summary>
    public string TotalLine => string.Join(' ', Marks.Select(m => $"{N(m.X)},{N(m.TotalY)}"));

    /// <summary>The rank line's points attribute.</summary>
    public string RankLine => string.Join(' ', Marks.Select(m => $"{N(m.X)},{N(m.RankY)}"));

    /// <summary>A coordinate as SVG text (one decimal, invariant).</summary>
    public static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
