using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Annual;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Scorecards.Documents;
using BaiQianWan.Assess.Scorecards.Layout;
using BaiQianWan.Assess.Scorecards.Views;

namespace BaiQianWan.Assess.Scorecards;

/// <summary>
/// A year's documents (年考评, annual contract §2) from a <c>cadence: year</c> result: each unit's annual scorecard (the
/// year-end indicators, then its figures in the publications the run read: the four quarters' totals and ranks, the months'
/// lights counted, the ledger's counts; and the publications read), one annual bulletin per class with the quarters'
/// totals, and the level-wide ranking (全省排名) where the ruleset uses a level scope. Pure and thread-safe like
/// <see cref="ScorecardRenderer"/>: the same result, publications and stamp give the same bytes.
/// </summary>
/// <remarks>
/// The publications are the contents of the result's <see cref="EvaluationResult.Sources"/> (matched by SHA-256); one not
/// given is listed by period, run and hash with its figures marked 未提供; one the result did not read is refused.
/// </remarks>
public static class AnnualDocuments
{
    /// <summary>True for a result of a whole year (<c>YYYY</c>): its documents are this class's.</summary>
    public static bool IsAnnual(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Period.IsWholeYear;
    }

    /// <summary>
    /// The document key of the level-wide ranking (<c>level-county</c>, stored as a bulletin and written as
    /// <c>bulletins/level-county.pdf</c>), or null when the result has none: not a year, or no grades or list use
    /// <c>scope: level</c> (no unit carries <c>levelPeers</c>).
    /// </summary>
    public static string? LevelRankingKey(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return IsAnnual(result) && result.Units.Any(u => u.LevelPeers is not null) ? "level-" + result.Ruleset.Level.ToText() : null;
    }

    /// <summary>A unit's annual scorecard.</summary>
    /// <param name="result">The year's evaluation.</param>
    /// <param name="unitCode">A unit scored in <paramref name="result"/>.</param>
    /// <param name="stamp">The run.</param>
    /// <param name="publications">The contents of the publications the result read (any of them; see the remarks).</param>
    /// <param name="previous">The previous year's result, for the change in rank; may be null.</param>
    /// <param name="ledger">The task ledger of the year, or null: the unit's ledger counts on 31 December.</param>
    /// <exception cref="ArgumentException">The unit is not in the result, or a publication is not one it read.</exception>
    public static RenderedDocument RenderScorecard(EvaluationResult result, string unitCode, DocumentStamp stamp, IEnumerable<Publication>? publications = null,
        EvaluationResult? previous = null, LedgerBook? ledger = null) =>
        Scorecard(result, unitCode, stamp, new AnnualSourceSet(result, publications), previous, ScorecardRenderer.Snapshot(ledger, result));

    /// <summary>The annual scorecards of some units (a render batch), in the order given, drawn <paramref name="parallelism"/> at a time.</summary>
    public static RenderedDocument[] RenderScorecards(EvaluationResult result, IReadOnlyList<string> unitCodes, DocumentStamp stamp,
        IEnumerable<Publication>? publications = null, EvaluationResult? previous = null, int parallelism = 1, LedgerBook? ledger = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(unitCodes);
        var sources = new AnnualSourceSet(result, publications);
        var snapshot = ScorecardRenderer.Snapshot(ledger, result);
        return DocumentSet.Draw(unitCodes, code => Scorecard(result, code, stamp, sources, previous, snapshot), parallelism);
    }

    /// <summary>A class's annual bulletin: the class ranking of the year with each unit's total in every quarter read.</summary>
    /// <exception cref="ArgumentException">The class is not one of the ruleset's, or a publication is not one the result read.</exception>
    public static RenderedDocument RenderBulletin(EvaluationResult result, string className, DocumentStamp stamp, IEnumerable<Publication>? publications = null,
        EvaluationResult? previous = null) =>
        Bulletin(result, className, stamp, new AnnualSourceSet(result, publications), previous);

    /// <summary>The level-wide ranking (全省排名): every ranked unit of the level by <c>levelRank</c>.</summary>
    /// <exception cref="ArgumentException">The result has no level-wide rank (<see cref="LevelRankingKey"/> is null).</exception>
    public static RenderedDocument RenderLevelRanking(EvaluationResult result, DocumentStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(stamp);
        if (LevelRankingKey(result) is null)
            throw new ArgumentException($"{result.Ruleset.Id} 的 {result.Period} 结果没有全省排名（只有年度考核且等次或红黑榜使用 scope: level 时才有）", nameof(result));
        var view = LevelView(result, stamp);
        using var canvas = new Canvas($"{view.Title} {view.Period} 全省{view.Level}排名", $"annual-level-ranking\n{result.Period}\n{result.Ruleset.Sha256}\n{result.DataSha256}", stamp);
        new LevelRankingDocument(view).Compose(canvas);
        return canvas.Finish((c, g, page, pages) => Footer.Draw(c, g, view.Footer, page, pages));
    }

    /// <summary>
    /// The year's bulletins with their keys: one per class of <see cref="DocumentSet.BulletinClasses"/> (key: the class), then the
    /// level-wide ranking when there is one (key: <see cref="LevelRankingKey"/>).
    /// </summary>
    public static (string Key, RenderedDocument Document)[] RenderBulletins(EvaluationResult result, DocumentStamp stamp,
        IEnumerable<Publication>? publications = null, EvaluationResult? previous = null, int parallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sources = new AnnualSourceSet(result, publications);
        var keys = DocumentSet.BulletinClasses(result).Select(c => (Key: c, Level: false)).ToList();
        if (LevelRankingKey(result) is { } level) keys.Add((level, true));
        var documents = DocumentSet.Draw(keys, k => k.Level ? RenderLevelRanking(result, stamp) : Bulletin(result, k.Key, stamp, sources, previous), parallelism);
        return [.. keys.Select((k, i) => (k.Key, documents[i]))];
    }

    /// <summary>
    /// Every document of the year as <see cref="DocumentSet.RenderAll"/> names them: <c>scorecards/&lt;code&gt;.pdf</c>, then
    /// <c>bulletins/&lt;class&gt;.pdf</c>, then <c>bulletins/level-&lt;level&gt;.pdf</c> when there is a level-wide ranking.
    /// </summary>
    public static ImmutableArray<NamedDocument> RenderAll(EvaluationResult result, DocumentStamp stamp, IEnumerable<Publication>? publications = null,
        EvaluationResult? previous = null, int parallelism = 1, LedgerBook? ledger = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var list = publications?.ToList();
        var codes = result.Units.Select(u => u.Code).ToArray();
        var scorecards = RenderScorecards(result, codes, stamp, list, previous, parallelism, ledger);
        var bulletins = RenderBulletins(result, stamp, list, previous, parallelism);
        return [.. codes.Select((c, i) => new NamedDocument($"scorecards/{DocumentSet.FileName(c)}.pdf", scorecards[i])),
            .. bulletins.Select(b => new NamedDocument($"bulletins/{DocumentSet.FileName(b.Key)}.pdf", b.Document))];
    }

    private static RenderedDocument Scorecard(EvaluationResult result, string unitCode, DocumentStamp stamp, AnnualSourceSet sources,
        EvaluationResult? previous, (LedgerBook Book, LedgerSnapshot Snapshot)? ledger)
    {
        ArgumentNullException.ThrowIfNull(stamp);
        var view = ScorecardView.Build(result, unitCode, stamp, previous);
        LedgerSectionView? section = ledger is { } l ? LedgerSectionView.Of(l.Snapshot, unitCode, l.Book.Settings) : null;
        view = view with
        {
            Kind = "年度考核评价记分卡",
            Ledger = section,
            Annual = AnnualSectionView.Build(result, unitCode, sources, section is null),
        };
        using var canvas = new Canvas($"{view.UnitName} {view.Period} 年度考核评价记分卡",
            $"annual-scorecard\n{result.Period}\n{result.Ruleset.Sha256}\n{result.DataSha256}\n{unitCode}", stamp);
        new ScorecardDocument(view).Compose(canvas);
        return canvas.Finish((c, g, page, pages) => Footer.Draw(c, g, view.Footer, page, pages));
    }

    private static RenderedDocument Bulletin(EvaluationResult result, string className, DocumentStamp stamp, AnnualSourceSet sources, EvaluationResult? previous)
    {
        ArgumentNullException.ThrowIfNull(stamp);
        var view = BulletinView.Build(result, className, stamp, previous);
        var year = result.Period.Year;
        var quarters = sources.QuartersRead(year);
        var totals = result.Units.Where(u => u.Class == className).ToDictionary(u => u.Code, u =>
        {
            var all = sources.QuarterTotals(year, u.Code);
            return quarters.Select(q => all[q - 1] is { } t ? Formats.Figure(t) : "—").ToArray();
        }, StringComparer.Ordinal);
        using var canvas = new Canvas($"{view.Title} {view.Class} {view.Period} 年度考核排名通报",
            $"annual-bulletin\n{result.Period}\n{result.Ruleset.Sha256}\n{result.DataSha256}\n{className}", stamp);
        new AnnualBulletinDocument(view, quarters, totals).Compose(canvas);
        return canvas.Finish((c, g, page, pages) => Footer.Draw(c, g, view.Footer, page, pages));
    }

    private static LevelRankingView LevelView(EvaluationResult result, DocumentStamp stamp)
    {
        var rs = result.Ruleset;
        var d = rs.Decimals;
        var ranked = result.Units.Where(u => u.LevelRank is not null).OrderBy(u => u.LevelRank).ThenBy(u => u.Code, StringComparer.Ordinal).ToArray();
        var excluded = result.Units.Where(u => u.LevelRank is null).OrderBy(u => u.Code, StringComparer.Ordinal).Select(u => new ExcludedRow(u.Name, u.Code,
            Formats.Score(u.Total, d), string.Join("；", u.Notes.IsDefault ? Enumerable.Empty<string>() : u.Notes.Where(n => n.Contains("取消参评资格", StringComparison.Ordinal))))).ToImmutableArray();
        string N(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new LevelRankingView(rs.Name, rs.Level.ToChinese(), result.Period.ToChinese(), $"{rs.Name}（{rs.Id}，{Formats.Version(rs.Version)}）",
            result.Units.Select(u => u.LevelPeers ?? 0).DefaultIfEmpty(0).Max(), !rs.Grades.IsEmpty,
            [.. ranked.Select(u => new LevelRow(N(u.LevelRank!.Value), u.Name, u.Code, u.Class, u.Ranked ? $"{N(u.Rank)}/{N(u.Peers)}" : "—",
                Formats.Score(u.Total, d), u.Graded ? u.Grade : "—", u.Lists.Contains("red"), u.Lists.Contains("black"), !u.Vetoes.IsEmpty))],
            excluded,
            [.. ranked.Where(u => u.Lists.Contains("red")).Select(u => u.Name)],
            [.. ranked.Where(u => u.Lists.Contains("black")).Select(u => u.Name)],
            [.. rs.Grades.Select(g => (g, ranked.Count(u => u.Grade == g)))],
            FooterView.Of(result, stamp));
    }
}
