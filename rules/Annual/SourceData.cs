using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Annual;

/// <summary>
/// (Annual contract §2) Turns the year's publications into data: for each source of a <c>cadence: year</c> ruleset and
/// each unit of its level, the derived observation row (unit, source id, year) and the source's inputs, as observations
/// of the year joined to the uploaded data. Pure: the same publications always give the same rows.
/// </summary>
public static class SourceData
{
    /// <summary>
    /// The data with the derived rows and inputs added and the publications recorded (<see cref="Dataset.Publications"/>,
    /// by period), or the problems that stop the evaluation: a publication of another year or level, two for one period,
    /// a months source's light that a month's monitor does not have, an uploaded row carrying a derived id for the year.
    /// </summary>
    /// <param name="ruleset">A ruleset; one without sources gets the data unchanged (with the publications recorded).</param>
    /// <param name="data">The uploaded units and observations.</param>
    /// <param name="year">The evaluated year (<c>YYYY</c>).</param>
    /// <param name="publications">The publications read, each with a name for messages (a file path).</param>
    public static (Dataset? Data, IReadOnlyList<string> Problems) Join(Ruleset ruleset, Dataset data, Period year,
        IReadOnlyList<(string Name, Publication Publication)> publications)
    {
        ArgumentNullException.ThrowIfNull(ruleset);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(publications);
        var problems = new List<string>();
        if (!year.IsWholeYear) problems.Add($"年度考核的期间应为 YYYY，这里是 {year}");
        var byPeriod = new Dictionary<Period, (string Name, Publication Publication)>();
        foreach (var (name, p) in publications)
        {
            var kind = p.IsMonth ? "月度通报" : "季度考核结果";
            if (p.Period.Year != year.Year)
                problems.Add($"{name}: {kind}的期间 {p.Period} 不属于 {year.Year} 年");
            else if (p.Level != ruleset.Level)
                problems.Add($"{name}: {kind}的层级是 {p.Level.ToText()}，规则集 {ruleset.Id} 考核的是 {ruleset.Level.ToText()}");
            else if (byPeriod.TryGetValue(p.Period, out var first))
                problems.Add($"{name}: 与 {first.Name} 是同一期间 {p.Period} 的结果，每个期间只能给一个");
            else byPeriod.Add(p.Period, (name, p));
        }

        var derivedIds = new HashSet<string>(ruleset.Sources.SelectMany(s => s.InputIds.Prepend(s.Id)), StringComparer.Ordinal);
        foreach (var s in ruleset.Sources.Where(s => s.From == SourceFrom.Months))
            foreach (var (period, (name, p)) in byPeriod.Where(x => x.Key.IsMonth).OrderBy(x => x.Key))
                if (!p.LightIds.Contains(s.Light!))
                    problems.Add($"{name}: {period} 公布的月度通报没有灯 '{s.Light}'（有 {string.Join("、", p.LightIds)}），数据来源 {s.Id} 无法统计");
        if (derivedIds.Count > 0)
        {
            var refused = data.Observations.Where(o => o.Period == year && derivedIds.Contains(o.Indicator))
                .Select(o => o.Indicator).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            foreach (var id in refused)
                problems.Add($"上传的数据中有 {year} 期间的 '{id}'：这是数据来源推算的数据，不能上传（请从数据文件中删去这些行）");
        }
        if (problems.Count > 0) return (null, problems);

        var records = byPeriod.Keys.Order().Select(k => byPeriod[k].Publication.Record).ToImmutableArray();
        var rows = new List<Observation>(data.Observations);
        var units = data.Units.Where(u => u.Level == ruleset.Level).Select(u => u.Code).ToList();
        foreach (var source in ruleset.Sources)
        {
            if (source.From == SourceFrom.Quarters) AddQuarters(source, year, units, byPeriod, rows);
            else AddMonths(source, year, units, byPeriod, rows);
        }
        return (data with { Observations = rows, Publications = records }, problems);
    }

    /// <summary>The figure a quarters source reads from one unit's figures, or null for none.</summary>
    public static decimal? Figure(SourceItem source, QuarterFigures f) => source.Figure switch
    {
        SourceFigure.Total => f.Total,
        SourceFigure.Rank => f.Rank,
        SourceFigure.LevelRank => f.LevelRank,
        SourceFigure.Bonus => f.Bonus,
        SourceFigure.Penalty => f.Penalty,
        SourceFigure.Dimension => f.Dimensions.TryGetValue(source.Of!, out var d) ? d : null,
        SourceFigure.Indicator => f.Indicators.TryGetValue(source.Of!, out var i) ? i : null,
        _ => null,
    };

    private static void AddQuarters(SourceItem source, Period year, List<string> units,
        Dictionary<Period, (string Name, Publication Publication)> byPeriod, List<Observation> rows)
    {
        var quarters = new Publication?[4];
        for (var q = 1; q <= 4; q++)
            quarters[q - 1] = byPeriod.TryGetValue(Period.OfQuarter(year.Year, q), out var p) ? p.Publication : null;
        var ids = source.InputIds;
        foreach (var unit in units)
        {
            var sum = 0m;
            var count = 0;
            decimal? first = null, last = null;
            for (var q = 0; q < 4; q++)
            {
                if (quarters[q] is not { } p || !p.Quarter.TryGetValue(unit, out var figures) || Figure(source, figures) is not { } v) continue;
                rows.Add(Row(unit, ids[q], year, v));
                sum += v;
                count++;
                first ??= v;
                last = v;
            }
            if (count > 0)
            {
                // The mean is a quotient carried like any other (ruleset.md §2): not rounded.
                rows.Add(Row(unit, source.Id, year, sum / count));
                rows.Add(Row(unit, ids[4], year, first!.Value));
                rows.Add(Row(unit, ids[5], year, last!.Value));
            }
            rows.Add(Row(unit, ids[6], year, count));
        }
    }

    private static void AddMonths(SourceItem source, Period year, List<string> units,
        Dictionary<Period, (string Name, Publication Publication)> byPeriod, List<Observation> rows)
    {
        var months = byPeriod.Where(x => x.Key.IsMonth).Select(x => x.Value.Publication).ToList();
        foreach (var unit in units)
        {
            if (months.Count > 0)
            {
                var count = 0;
                foreach (var m in months)
                    if (m.Lights.TryGetValue(unit, out var lights))
                        foreach (var l in lights)
                            if (l == source.Light) count++;
                rows.Add(Row(unit, source.Id, year, count));
            }
            rows.Add(Row(unit, source.InputIds[0], year, months.Count));
        }
    }

    private static Observation Row(string unit, string id, Period year, decimal actual) => new(unit, id, year, actual, null, null);
}
