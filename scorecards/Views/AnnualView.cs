using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Annual;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Scorecards.Views;

/// <summary>One quarter's line on an annual scorecard: the unit's total and ranks in that quarter's publication, in words.</summary>
internal sealed record QuarterLine(string Quarter, string Total, string Rank, string LevelRank, string Run);

/// <summary>One month's line: how many of the unit's indicators ended the month at each light (null: the month was not read).</summary>
internal sealed record MonthLine(string Month, ImmutableArray<int>? Counts, string Run);

/// <summary>A publication the annual run read (annual contract §2), in words.</summary>
internal sealed record PublicationLine(string Period, string Kind, string Run, string Sha256, bool Provided);

/// <summary>
/// What an annual scorecard prints beside the year-end indicators: the unit's figures in each publication the run read
/// (the four quarters' totals and ranks, the months' lights counted), and the publications themselves.
/// </summary>
internal sealed record AnnualSectionView(
    bool HasSources, ImmutableArray<QuarterLine> Quarters, bool HasLevelRank, string QuarterMean, int QuartersWithTotal,
    ImmutableArray<LightCell> Lights, ImmutableArray<MonthLine> Months, ImmutableArray<int> LightTotals, int MonthsRead,
    ImmutableArray<PublicationLine> Read, bool LedgerAbsent, string? Unprovided)
{
    private static readonly string[] QuarterNames = ["一季度", "二季度", "三季度", "四季度"];

    /// <summary>The section of <paramref name="unitCode"/>; <paramref name="sources"/> are the read publications' contents (matched by hash).</summary>
    public static AnnualSectionView Build(EvaluationResult result, string unitCode, AnnualSourceSet sources, bool ledgerAbsent)
    {
        if (result.Sources.IsDefault)
            return new AnnualSectionView(false, [], false, "—", 0, [], [], [], 0, [], ledgerAbsent, null);
        var year = result.Period.Year;
        var quarters = ImmutableArray.CreateBuilder<QuarterLine>();
        var hasLevelRank = false;
        var sum = 0m;
        var withTotal = 0;
        for (var q = 1; q <= 4; q++)
        {
            var period = Period.OfQuarter(year, q);
            var record = sources.Record(period);
            var name = QuarterNames[q - 1];
            if (record is null)
            {
                quarters.Add(new QuarterLine(name, "未公布", "—", "—", "—"));
                continue;
            }
            var run = record.Run ?? "（文件）";
            if (sources.Of(period) is not { } p)
            {
                quarters.Add(new QuarterLine(name, "未提供", "—", "—", run));
                continue;
            }
            if (!p.Quarter.TryGetValue(unitCode, out var f))
            {
                quarters.Add(new QuarterLine(name, "未参评", "—", "—", run));
                continue;
            }
            if (f.Total is { } total)
            {
                sum += total;
                withTotal++;
            }
            if (f.LevelPeers is not null || f.LevelRank is not null) hasLevelRank = true;
            quarters.Add(new QuarterLine(name, Formats.Figure(f.Total), Rank(f.Rank, f.Peers), Rank(f.LevelRank, f.LevelPeers), run));
        }
        var mean = withTotal == 0 ? "—" : Formats.Figure(sum / withTotal);

        // The lights of the months read, worst first as the monitor lists them (a light first seen in a later month after).
        var monthPubs = Enumerable.Range(1, 12).Select(m => sources.Of(Period.OfMonth(year, m))).ToArray();
        var lightIds = new List<(string Id, string Name)>();
        foreach (var p in monthPubs.Where(p => p is not null))
            for (var i = 0; i < p!.LightIds.Length; i++)
                if (!lightIds.Any(l => l.Id == p.LightIds[i]))
                    lightIds.Add((p.LightIds[i], i < p.LightNames.Length ? p.LightNames[i] : p.LightIds[i]));
        var lights = lightIds.Select((l, i) => new LightCell(l.Id, l.Name, i, lightIds.Count)).ToImmutableArray();
        var months = ImmutableArray.CreateBuilder<MonthLine>();
        var totals = new int[lights.Length];
        var read = 0;
        for (var m = 1; m <= 12; m++)
        {
            var period = Period.OfMonth(year, m);
            var record = sources.Record(period);
            if (record is null)
            {
                months.Add(new MonthLine($"{m}月", null, "未公布"));
                continue;
            }
            read++;
            if (monthPubs[m - 1] is not { } p)
            {
                months.Add(new MonthLine($"{m}月", null, record.Run ?? "（文件）"));
                continue;
            }
            var own = p.Lights.TryGetValue(unitCode, out var l) ? l : [];
            var counts = lights.Select(light => own.Count(x => x == light.Id)).ToImmutableArray();
            for (var i = 0; i < counts.Length; i++) totals[i] += counts[i];
            months.Add(new MonthLine($"{m}月", counts, record.Run ?? "（文件）"));
        }

        var lines = result.Sources.Select(s => new PublicationLine(
            s.Period.ToString(), s.Period.IsMonth ? "月度监测" : "季度考核", s.Run ?? "（文件，无运行编号）", Formats.Short(s.Sha256),
            sources.Of(s.Period) is not null)).ToImmutableArray();
        var unprovided = lines.Count(l => !l.Provided);
        return new AnnualSectionView(true, quarters.ToImmutable(), hasLevelRank, mean, withTotal, lights, months.ToImmutable(),
            [.. totals], read, lines, ledgerAbsent,
            unprovided == 0 ? null : $"有 {unprovided} 期公布结果未随文档提供（只列出期间、运行和哈希），其数字以“未提供”标出");
    }

    private static string Rank(decimal? rank, decimal? peers) => rank is not { } r ? "—"
        : peers is { } n ? $"第{Numbers.Plain(r)}名/{Numbers.Plain(n)}" : $"第{Numbers.Plain(r)}名";
}

/// <summary>The publications an annual result read, with the contents given for them (matched to the result's records by SHA-256).</summary>
internal sealed class AnnualSourceSet
{
    private readonly Dictionary<Period, SourceRecord> _records = [];
    private readonly Dictionary<Period, Publication> _contents = [];

    /// <exception cref="ArgumentException">A publication given is not one the result read (another period or other bytes).</exception>
    public AnnualSourceSet(EvaluationResult result, IEnumerable<Publication>? publications)
    {
        if (!result.Sources.IsDefault)
            foreach (var s in result.Sources) _records[s.Period] = s;
        foreach (var p in publications ?? [])
        {
            if (!_records.TryGetValue(p.Period, out var s) || !string.Equals(s.Sha256, p.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException(
                    $"{p.Period} 的公布结果（SHA-256 {Formats.Short(p.Sha256)}）不是 {result.Period} 的运行读取的那一份" +
                    (s is null ? "（该运行没有读取这一期）" : $"（读取的是 SHA-256 {Formats.Short(s.Sha256)}）"), nameof(publications));
            _contents[p.Period] = p;
        }
    }

    public SourceRecord? Record(Period period) => _records.GetValueOrDefault(period);

    public Publication? Of(Period period) => _contents.GetValueOrDefault(period);

    /// <summary>The unit's total in each quarter (null: not published, not provided, absent or no total).</summary>
    public decimal?[] QuarterTotals(int year, string unitCode) =>
        [.. Enumerable.Range(1, 4).Select(q => Of(Period.OfQuarter(year, q)) is { } p && p.Quarter.TryGetValue(unitCode, out var f) ? f.Total : null)];

    /// <summary>The quarters read (by number), in order.</summary>
    public int[] QuartersRead(int year) => [.. Enumerable.Range(1, 4).Where(q => Record(Period.OfQuarter(year, q)) is not null)];
}
