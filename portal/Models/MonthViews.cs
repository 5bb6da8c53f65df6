using System.Collections.Immutable;
using System.Globalization;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Portal.Models;

/// <summary>
/// A light as the portal shows it: its name, and a shape and a colour by its place in the monitor's list (the worst ■
/// red, the best ● green, those between ▲ ◆ ▼ amber), so that the colour is never the only sign.
/// </summary>
/// <param name="Id">Light id.</param>
/// <param name="Name">Display name (红灯).</param>
/// <param name="Index">Place in the list, 0 = worst.</param>
/// <param name="Count">Lights in the list.</param>
public sealed record MonthLight(string Id, string Name, int Index, int Count)
{
    /// <summary>The shape: ■ the worst, ● the best, ▲ ◆ ▼ those between.</summary>
    public string Glyph => Index == 0 ? "■" : Index == Count - 1 ? "●" : ((Index - 1) % 3) switch { 0 => "▲", 1 => "◆", _ => "▼" };

    /// <summary>The CSS class: <c>light-worst</c>, <c>light-best</c> or <c>light-mid</c>.</summary>
    public string Css => Index == 0 ? "light-worst" : Index == Count - 1 ? "light-best" : "light-mid";

    /// <summary>The lights of a result, worst first.</summary>
    public static ImmutableArray<MonthLight> Of(MonthResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return [.. result.Lights.Select((l, i) => new MonthLight(l.Id, l.Name, i, result.Lights.Length))];
    }

    /// <summary>The light of an id among <paramref name="lights"/>, or null (no light: missing). An unknown id shows as the worst, by its id.</summary>
    public static MonthLight? Find(ImmutableArray<MonthLight> lights, string? id) =>
        id is null ? null : lights.FirstOrDefault(l => l.Id == id) ?? new MonthLight(id, id, 0, lights.Length);
}

/// <summary>One cell of the light matrix: a unit's indicator this month.</summary>
/// <param name="Indicator">Indicator id.</param>
/// <param name="Light">The light (after escalation), or null when missing.</param>
/// <param name="Streak">Months the light has lasted.</param>
/// <param name="Missing">The reason the indicator is missing, or null.</param>
/// <param name="Explain">The one-line explanation.</param>
/// <param name="Matches">Whether the cell matches the light filter (always true without one).</param>
public sealed record MonthCell(string Indicator, MonthLight? Light, int? Streak, string? Missing, string Explain, bool Matches);

/// <summary>One row of the light matrix.</summary>
/// <param name="Code">Unit code.</param>
/// <param name="Name">Unit name.</param>
/// <param name="Class">The unit's class.</param>
/// <param name="Cells">One cell per indicator, in the monitor's order.</param>
public sealed record MonthMatrixRow(string Code, string Name, string Class, ImmutableArray<MonthCell> Cells);

/// <summary>A unit's indicator lit by the worst light: the red list's line.</summary>
/// <param name="Code">Unit code.</param>
/// <param name="Name">Unit name.</param>
/// <param name="Class">Class.</param>
/// <param name="Indicator">Indicator name.</param>
/// <param name="Streak">Months the light has lasted.</param>
/// <param name="Why">How the light came: 本月数据 (its own figures) or the escalation (连续 2 个月黄灯及以上，升为红灯).</param>
/// <param name="Explain">The one-line explanation.</param>
public sealed record MonthRedLine(string Code, string Name, string Class, string Indicator, int Streak, string Why, string Explain);

/// <summary>Counts of one class (or of the level, <see cref="Class"/> null): indicators per light, then missing.</summary>
/// <param name="Class">The class, or null for the whole level.</param>
/// <param name="Units">Units of the class.</param>
/// <param name="Counts">Per light in the monitor's order, then missing.</param>
public sealed record MonthClassCounts(string? Class, int Units, ImmutableArray<int> Counts);

/// <summary>
/// The month review's light matrix (units × indicators), its filters, the counts per class and the red list, built from
/// a month's results. The filters only choose rows: a class keeps that class's units; a light (or <c>missing</c>) keeps
/// the units with at least one indicator so lit, whose matching cells are marked. The counts and the red list follow the
/// class filter.
/// </summary>
/// <param name="Lights">The monitor's lights, worst first.</param>
/// <param name="Indicators">The monitor's indicators (id, name), in order.</param>
/// <param name="Classes">The classes of the results, in the monitor's order.</param>
/// <param name="Class">The class filter, or null.</param>
/// <param name="Light">The light filter (a light id or <c>missing</c>), or null.</param>
/// <param name="Rows">The rows the filters keep, by class then code.</param>
/// <param name="AllRows">Rows of the class filter before the light filter.</param>
/// <param name="Counts">Counts of the level, then per class.</param>
/// <param name="RedList">The worst light's units, longest streak first, then by code and indicator.</param>
public sealed record MonthMatrix(
    ImmutableArray<MonthLight> Lights,
    ImmutableArray<(string Id, string Name)> Indicators,
    ImmutableArray<string> Classes,
    string? Class,
    string? Light,
    ImmutableArray<MonthMatrixRow> Rows,
    int AllRows,
    ImmutableArray<MonthClassCounts> Counts,
    ImmutableArray<MonthRedLine> RedList)
{
    /// <summary>The filter value for missing indicators.</summary>
    public const string Missing = "missing";

    /// <summary>Builds the matrix. A class or light the results do not know is no filter (the page says so by showing all).</summary>
    public static MonthMatrix Of(MonthResult result, string? @class = null, string? light = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var lights = MonthLight.Of(result);
        var classes = result.Monitor.Classes.Where(c => result.Units.Any(u => u.Class == c)).ToImmutableArray();
        @class = @class is not null && classes.Contains(@class) ? @class : null;
        light = light == Missing || (light is not null && lights.Any(l => l.Id == light)) ? light : null;
        var names = result.Indicators.ToDictionary(i => i.Id, i => i.Name, StringComparer.Ordinal);
        var units = result.Units.Where(u => @class is null || u.Class == @class).ToList();

        bool Matches(MonthIndicatorResult i) => light is null || (light == Missing ? i.Missing is not null : i.Light == light);
        var rows = units
            .Where(u => light is null || u.Indicators.Any(Matches))
            .Select(u => new MonthMatrixRow(u.Code, u.Name, u.Class, [.. u.Indicators.Select(i =>
                new MonthCell(i.Id, i.Missing is null ? MonthLight.Find(lights, i.Light) : null, i.Streak, i.Missing, i.Explain, Matches(i)))]))
            .ToImmutableArray();

        ImmutableArray<int> CountsOf(IEnumerable<MonthUnitResult> of)
        {
            var list = of.ToList();
            return [.. lights.Select(l => list.Sum(u => u.Indicators.Count(i => i.Light == l.Id))), list.Sum(u => u.Indicators.Count(i => i.Missing is not null))];
        }
        var counts = new List<MonthClassCounts> { new(null, units.Count, CountsOf(units)) };
        counts.AddRange(classes.Where(c => @class is null || c == @class).Select(c =>
        {
            var of = units.Where(u => u.Class == c).ToList();
            return new MonthClassCounts(c, of.Count, CountsOf(of));
        }));

        var worst = lights.Length > 0 ? lights[0] : null;
        var red = worst is null ? [] : units
            .SelectMany(u => u.Indicators.Where(i => i.Light == worst.Id).Select(i => new MonthRedLine(u.Code, u.Name, u.Class,
                names.GetValueOrDefault(i.Id, i.Id), i.Streak ?? 0, Why(i, result), i.Explain)))
            .OrderByDescending(l => l.Streak).ThenBy(l => l.Code, StringComparer.Ordinal)
            .ToImmutableArray();
        return new MonthMatrix(lights, [.. result.Indicators.Select(i => (i.Id, i.Name))], classes, @class, light, rows, units.Count, [.. counts], red);
    }

    private static string Why(MonthIndicatorResult indicator, MonthResult result)
    {
        if (indicator.Escalation is not { } e) return "本月数据";
        string Name(string id) => result.Lights.FirstOrDefault(l => l.Id == id)?.Name ?? id;
        return string.Create(CultureInfo.InvariantCulture, $"连续 {e.Months} 个月{Name(e.Light)}及以上，升为{Name(e.To)}");
    }
}

/// <summary>One indicator on a unit's month panel.</summary>
/// <param name="Id">Indicator id.</param>
/// <param name="Name">Indicator name.</param>
/// <param name="Unit">Unit of measure, or null.</param>
/// <param name="IsProgress">True for the progress metric (percentages against the pace).</param>
/// <param name="LowerIsBetter">True when lower is better.</param>
/// <param name="Light">This month's light, or null when missing.</param>
/// <param name="Streak">Months the light has lasted.</param>
/// <param name="Rank">Rank in the class and peers (<c>3/8</c>), or null.</param>
/// <param name="Explain">The one-line explanation.</param>
/// <param name="History">Months 1 … m, for the chart.</param>
public sealed record UnitMonthIndicator(string Id, string Name, string? Unit, bool IsProgress, bool LowerIsBetter, MonthLight? Light, int? Streak,
    string? Rank, string Explain, ImmutableArray<MonthPoint> History);

/// <summary>
/// A unit's month on its home page: this month's light per indicator with its explanation, the progress chart of each,
/// its own one-page PDF and, once published, the level's month bulletin.
/// </summary>
/// <param name="Title">The monitor's name.</param>
/// <param name="Period">The month.</param>
/// <param name="Lights">The monitor's lights, worst first.</param>
/// <param name="Indicators">The unit's indicators, in the monitor's order.</param>
/// <param name="Counts">This month's counts per light, then missing.</param>
/// <param name="UnitPdfUrl">The unit's one-page PDF.</param>
/// <param name="BulletinPdfUrl">The level's published month bulletin, or null before it is published.</param>
public sealed record UnitMonthModel(string Title, Rules.Data.Period Period, ImmutableArray<MonthLight> Lights, ImmutableArray<UnitMonthIndicator> Indicators,
    ImmutableArray<int> Counts, string? UnitPdfUrl, string? BulletinPdfUrl)
{
    /// <summary>The unit's month from a month's results, or null when the results do not hold the unit.</summary>
    public static UnitMonthModel? Of(MonthResult result, string code, string? unitPdfUrl, string? bulletinPdfUrl)
    {
        ArgumentNullException.ThrowIfNull(result);
        var unit = result.Units.FirstOrDefault(u => u.Code == code);
        if (unit is null) return null;
        var lights = MonthLight.Of(result);
        var info = result.Indicators.ToDictionary(i => i.Id, StringComparer.Ordinal);
        var indicators = unit.Indicators.Select(i =>
        {
            var about = info[i.Id];
            return new UnitMonthIndicator(i.Id, about.Name, about.Unit, about.Metric == "progress", about.Better == "lower",
                i.Missing is null ? MonthLight.Find(lights, i.Light) : null, i.Streak,
                i.Rank is { } r ? string.Create(CultureInfo.InvariantCulture, $"{r}/{i.Peers}") : null, i.Explain, i.History);
        }).ToImmutableArray();
        ImmutableArray<int> counts = [.. lights.Select(l => unit.Indicators.Count(i => i.Light == l.Id)), unit.Indicators.Count(i => i.Missing is not null)];
        return new UnitMonthModel(result.Monitor.Name, result.Period, lights, indicators, counts, unitPdfUrl, bulletinPdfUrl);
    }

    /// <summary>The 公示稿 mark while the month's publication is provisional (公示中), else null.</summary>
    public DraftMark? Draft { get; init; }

    /// <summary>The published month run the panel shows (null when built without one).</summary>
    public string? RunId { get; init; }

    /// <summary>The level of that run.</summary>
    public Rules.Data.UnitLevel Level { get; init; }

    /// <summary>
    /// The review panel (公示、复核) of the unit's month: the form while the month is 公示中, the unit's requests; null when
    /// the visitor may not see it (anyone but the office and the unit itself).
    /// </summary>
    public UnitReviewModel? Review { get; init; }

    /// <summary>What a review request on the unit's month may be about: each indicator of its month result, with the light it got.</summary>
    public IReadOnlyList<ReviewTarget> Targets =>
    [
        .. Indicators.Select(i => new ReviewTarget($"{ReviewTargetKind.Indicator.ToText()}:{i.Id}",
            $"{ReviewTargetKind.Indicator.ToChinese()}：{(i.Name != i.Id ? $"{i.Name}（{i.Id}）" : i.Id)}，{i.Light?.Name ?? "缺数"}")),
    ];
}
