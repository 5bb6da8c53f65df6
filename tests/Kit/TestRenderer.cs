using System.Globalization;
using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Scorecards;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;

namespace BaiQianWan.Assess.Tests.Kit;

/// <summary>
/// The tests' one stand-in for the PDF renderer (the real one, scorecards/, is tested on its own): deterministic, and each
/// document is two lines of text a test reads back, <c>run=ID at=TIME sample=BOOL</c>, then
/// <c>scorecard CODE NAME CLASS total=T rank=R/PEERS grade=G previousRank=P</c> (the previous period's rank, or <c>-</c>) or
/// <c>bulletin CLASS CODE:RANK …</c>. Fails on purpose two ways: on the n-th scorecard batch (a run that dies midway), and
/// for every ruleset whose id ends in <c>-renderfails</c> (<see cref="Failure"/>, a renderer with no fonts).
/// </summary>
public sealed class TestRenderer(int failOnScorecardBatch = 0) : IDocumentRenderer
{
    /// <summary>What the renderer throws for a ruleset whose id ends in <c>-renderfails</c>.</summary>
    public const string Failure = "test renderer: no fonts for this ruleset";

    private int _batches;

    /// <summary>How many scorecard batches were asked for.</summary>
    public int ScorecardBatches => _batches;

    /// <summary>The ledger each scorecard batch was handed (null for none), in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<LedgerBook?> Ledgers { get; } = new();

    /// <inheritdoc />
    public IReadOnlyList<StoredDocument> RenderScorecards(EvaluationResult result, RunStamp stamp, IReadOnlyList<string> unitCodes, EvaluationResult? previous,
        LedgerBook? ledger)
    {
        var batch = Interlocked.Increment(ref _batches);
        Ledgers.Enqueue(ledger);
        if (result.Ruleset.Id.EndsWith("-renderfails", StringComparison.Ordinal)) throw new InvalidOperationException(Failure);
        if (batch == failOnScorecardBatch) throw new InvalidOperationException($"渲染失败（第 {batch} 批）");
        var byCode = result.Units.ToDictionary(u => u.Code, StringComparer.Ordinal);
        return [.. unitCodes.Select(code =>
        {
            var u = byCode[code];
            var before = previous?.Units.FirstOrDefault(p => p.Code == code);
            return StoredDocument.Of(DocumentKind.Scorecard, code, Text(stamp,
                $"scorecard {code} {u.Name} {u.Class} total={Numbers.Plain(u.Total)} rank={u.Rank}/{u.Peers} grade={u.Grade} previousRank={before?.Rank.ToString(CultureInfo.InvariantCulture) ?? "-"}"));
        })];
    }

    /// <inheritdoc />
    /// <remarks>A year's result with a level scope also gets its level-wide ranking, <c>level LEVEL CODE:LEVELRANK …</c>, as the PDF renderer does.</remarks>
    public IReadOnlyList<StoredDocument> RenderBulletins(EvaluationResult result, RunStamp stamp, EvaluationResult? previous) =>
        [.. result.Units.GroupBy(u => u.Class).Select(g => StoredDocument.Of(DocumentKind.Bulletin, g.Key, Text(stamp,
            $"bulletin {g.Key} " + string.Join(" ", g.Select(u => $"{u.Code}:{u.Rank}"))))),
            .. BaiQianWan.Assess.Scorecards.AnnualDocuments.LevelRankingKey(result) is { } level
                ? [StoredDocument.Of(DocumentKind.Bulletin, level, Text(stamp, $"level {level} " + string.Join(" ", result.Units.Select(u => $"{u.Code}:{u.LevelRank}"))))]
                : Array.Empty<StoredDocument>()];

    /// <summary>
    /// A month: <c>month LEVEL PERIOD CODE:LIGHT,LIGHT …</c> (each unit's final lights in indicator order, <c>-</c> for missing) as
    /// the bulletin, and <c>unit CODE ID=LIGHT/STREAK …</c> per unit.
    /// </summary>
    public IReadOnlyList<StoredDocument> RenderMonth(MonthResult result, RunStamp stamp)
    {
        if (result.Monitor.Id.EndsWith("-renderfails", StringComparison.Ordinal)) throw new InvalidOperationException(Failure);
        var level = result.Monitor.Level.ToText();
        return [StoredDocument.Of(DocumentKind.Bulletin, level, Text(stamp, $"month {level} {result.Period} " +
                string.Join(" ", result.Units.Select(u => $"{u.Code}:{string.Join(",", u.Indicators.Select(i => i.Light ?? "-"))}")))),
            .. result.Units.Select(u => StoredDocument.Of(DocumentKind.Scorecard, u.Code, Text(stamp,
                $"unit {u.Code} " + string.Join(" ", u.Indicators.Select(i => $"{i.Id}={i.Light ?? "-"}/{i.Streak?.ToString(CultureInfo.InvariantCulture) ?? "-"}")))))];
    }

    /// <summary>A document's text.</summary>
    public static string Read(StoredDocument document) => Read(document.Content);

    /// <summary>A document's text, from its bytes (as served or exported).</summary>
    public static string Read(byte[] content) => Encoding.UTF8.GetString(content);

    /// <summary>The units a bulletin lists, in its order (its second line after the class).</summary>
    public static IReadOnlyList<string> BulletinUnits(byte[] content) =>
        [.. Read(content).Split('\n')[1].Split(' ').Skip(2).Select(entry => entry.Split(':')[0])];

    private static byte[] Text(RunStamp stamp, string body) =>
        Encoding.UTF8.GetBytes($"run={stamp.RunId} at={stamp.At:O} sample={stamp.Sample}\n{body}\n");
}
