using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Scorecards.Views;

/// <summary>Whether an indicator's target was met, not met, or could not be judged for missing data.</summary>
internal enum Status { Met, NotMet, Missing }

/// <summary>One row of the indicator table, already in words.</summary>
internal sealed record IndicatorRow(
    string Dimension, string Name, string Unit, string Actual, string Target, string Metric,
    string Score, string Max, decimal Lost, string LostText, Status Status, string Explanation);

/// <summary>A dimension's bar in the chart.</summary>
internal sealed record DimensionBar(string Name, decimal Score, decimal Max, decimal ClassAverage, string ScoreText, string MaxText, string AverageText);

/// <summary>A bonus, penalty or veto line.</summary>
internal sealed record AdjustmentLine(string Kind, string Name, string Count, string Points, bool Veto);

/// <summary>Where the unit stood last period.</summary>
internal sealed record PreviousStanding(bool Present, int Rank, int Peers, string Class, decimal Total, int RankChange, decimal TotalChange);

/// <summary>What the footer prints.</summary>
internal sealed record FooterView(string RunId, string Ruleset, string Data, string Time, bool Sample)
{
    public static FooterView Of(EvaluationResult result, DocumentStamp stamp) => new(
        stamp.RunId,
        $"{result.Ruleset.Id} {(result.Ruleset.Version is { } v ? "v" + v : "文件")} {Formats.Short(result.Ruleset.Sha256)}",
        Formats.Short(result.DataSha256),
        Formats.Time(stamp.At),
        stamp.Sample);
}

/// <summary>Everything a scorecard prints, computed before drawing starts.</summary>
internal sealed record ScorecardView(
    string UnitName, string UnitCode, string Class, string Level, string Period, string Ruleset,
    int Decimals, decimal Total, decimal MaxTotal, int Rank, int Peers, string Grade, bool Red, bool Black,
    ImmutableArray<string> VetoNotices, PreviousStanding? Previous, int MissingCount, decimal ClassAverage,
    ImmutableArray<DimensionBar> Dimensions, ImmutableArray<IndicatorRow> Rows, ImmutableArray<AdjustmentLine> Adjustments,
    string? BonusCapNote, FooterView Footer)
{
    /// <summary>(v3) Lines under the adjustments: dimension caps and factors, the total's cap, the level rank, an exclusion.</summary>
    public ImmutableArray<string> Notes { get; init; } = [];

    /// <summary>The unit's own task ledger on the period's end (counts and overdue tasks), or null: no ledger, or no task of the unit.</summary>
    public LedgerSectionView? Ledger { get; init; }

    /// <summary>What the document is called after 百千万工程 (a year's: 年度考核评价记分卡).</summary>
    public string Kind { get; init; } = "考核评价记分卡";

    /// <summary>An annual scorecard's sources (the quarters, the months, the publications read), or null for any other.</summary>
    public AnnualSectionView? Annual { get; init; }

    public static ScorecardView Build(EvaluationResult result, string unitCode, DocumentStamp stamp, EvaluationResult? previous)
    {
        var unit = result.Units.FirstOrDefault(u => u.Code == unitCode)
                   ?? throw new ArgumentException($"结果中没有单位 {unitCode}（{result.Ruleset.Id}，{result.Period}）", nameof(unitCode));
        var rs = result.Ruleset;
        var d = rs.Decimals;
        var peers = result.Units.Where(u => u.Class == unit.Class).ToArray();
        var indicators = rs.Dimensions.SelectMany(dim => dim.Indicators.Select(i => (Dimension: dim, Indicator: i)))
            .ToDictionary(x => x.Indicator.Id, StringComparer.Ordinal);
        var dimensionNames = rs.Dimensions.ToDictionary(x => x.Id, x => x.Name, StringComparer.Ordinal);

        var bars = unit.Dimensions.Select(ds =>
        {
            var avg = Formats.Average(peers.Select(p => p.Dimensions.FirstOrDefault(x => x.Id == ds.Id)?.Score ?? 0m), d);
            return new DimensionBar(dimensionNames.GetValueOrDefault(ds.Id, ds.Id), ds.Score, ds.Max, avg,
                Formats.Score(ds.Score, d), ds.Unlimited ? "不封顶" : Formats.Figure(ds.Max), Formats.Score(avg, d));
        }).ToImmutableArray();

        var rows = unit.Indicators.Select(i =>
        {
            var known = indicators.TryGetValue(i.Id, out var info);
            var metric = known ? info.Indicator.Metric : "value";
            var lost = i.Unlimited ? 0m : i.Max - i.Score;
            var status = i.Missing is not null ? Status.Missing : i.TargetMet ? Status.Met : Status.NotMet;
            var explanation = i.Missing is { } why && !i.Explain.Contains(why, StringComparison.Ordinal) ? why + "；" + i.Explain : i.Explain;
            return new IndicatorRow(
                known ? info.Dimension.Name : "",
                known ? info.Indicator.Name : i.Id,
                known ? info.Indicator.Unit ?? "" : "",
                Formats.Figure(i.Actual), Formats.Target(metric, i.Target),
                Formats.Metric(metric, i.MetricValue),
                Formats.Score(i.Score, d), i.Unlimited ? "不封顶" : Formats.Figure(i.Max), lost,
                lost > 0 ? "距满分 " + Formats.Score(lost, d) : "",
                status, explanation);
        }).ToImmutableArray();

        var adjustmentInfo = rs.Adjustments.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var lines = ImmutableArray.CreateBuilder<AdjustmentLine>();
        var bonusSum = 0m;
        foreach (var a in unit.Adjustments)
        {
            if (a.Count == 0 && a.Points == 0) continue;
            var info = adjustmentInfo.GetValueOrDefault(a.Id);
            var kind = info?.Kind ?? (a.Points >= 0 ? "bonus" : "penalty");
            if (kind == "bonus") bonusSum += a.Points;
            lines.Add(new AdjustmentLine(kind == "bonus" ? "加分" : "扣分", info?.Name ?? a.Id,
                Rules.Evaluation.Numbers.Plain(a.Count) + " 项", Formats.Signed(a.Points, d), false));
        }
        var vetoNotices = ImmutableArray.CreateBuilder<string>();
        foreach (var v in unit.Vetoes)
        {
            var info = adjustmentInfo.GetValueOrDefault(v);
            var name = info?.Name ?? v;
            var cap = info?.Grade is { } g ? $"，等次最高为“{g}”" : "";
            vetoNotices.Add($"一票否决：{name}{cap}，不得进入红榜");
            lines.Add(new AdjustmentLine("否决", name, "", "否决", true));
        }
        var capNote = bonusSum > unit.Bonus
            ? $"加分合计 {Formats.Score(bonusSum, d)} 分，超过上限，按 {Formats.Score(unit.Bonus, d)} 分计入"
            : null;

        PreviousStanding? prev = null;
        if (previous is not null)
        {
            var p = previous.Units.FirstOrDefault(u => u.Code == unitCode);
            prev = p is null
                ? new PreviousStanding(false, 0, 0, "", 0m, 0, 0m)
                : new PreviousStanding(true, p.Rank, p.Peers, p.Class, p.Total, p.Rank - unit.Rank, unit.Total - p.Total);
        }

        // (v3) what the contract's v3 fields say, one line each (none for a v2 result)
        var notes = ImmutableArray.CreateBuilder<string>();
        foreach (var ds in unit.Dimensions)
            if (ds.Scaled && ds.Explain is { } explain) notes.Add(explain);
        if (unit.LevelPeers is { } levelPeers)
            notes.Add(unit.LevelRank is { } levelRank ? $"全省排名第{levelRank}名 / 共{levelPeers}名" : "不参加全省排名");
        if (!unit.Notes.IsDefault) notes.AddRange(unit.Notes);

        return new ScorecardView(
            unit.Name, unit.Code, unit.Class, rs.Level.ToChinese(), result.Period.ToChinese(),
            $"{rs.Name}（{rs.Id}，{Formats.Version(rs.Version)}）",
            d, unit.Total, unit.Dimensions.Sum(x => x.Max), unit.Rank, unit.Peers, unit.Graded ? unit.Grade : "—",
            unit.Lists.Contains("red"), unit.Lists.Contains("black"),
            vetoNotices.ToImmutable(), prev, unit.Indicators.Count(i => i.Missing is not null),
            Formats.Average(peers.Select(p => p.Total), d), bars, rows, lines.ToImmutable(), capNote,
            FooterView.Of(result, stamp))
        {
            Notes = notes.ToImmutable(),
        };
    }
}
