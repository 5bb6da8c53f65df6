using System.Globalization;
using System.Text;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>
/// A deterministic stand-in for the PDF renderer: each document is a few lines of text naming the run, the
/// unit or class and its numbers (and the previous period's rank), so tests can read back what was rendered.
/// Can be told to throw on the n-th scorecard batch, to test runs that die midway.
/// </summary>
internal sealed class TestRenderer(int failOnScorecardBatch = 0) : IDocumentRenderer
{
    private int _batches;

    public int ScorecardBatches => _batches;

    public IReadOnlyList<StoredDocument> RenderScorecards(EvaluationResult result, RunStamp stamp, IReadOnlyList<string> unitCodes, EvaluationResult? previous)
    {
        var batch = Interlocked.Increment(ref _batches);
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

    public IReadOnlyList<StoredDocument> RenderBulletins(EvaluationResult result, RunStamp stamp, EvaluationResult? previous) =>
        [.. result.Units.GroupBy(u => u.Class).Select(g => StoredDocument.Of(DocumentKind.Bulletin, g.Key, Text(stamp,
            $"bulletin {g.Key} " + string.Join(" ", g.Select(u => $"{u.Code}:{u.Rank}")))))];

    public static string Read(StoredDocument document) => Encoding.UTF8.GetString(document.Content);

    private static byte[] Text(RunStamp stamp, string body) =>
        Encoding.UTF8.GetBytes($"run={stamp.RunId} at={stamp.At:O} sample={stamp.Sample}\n{body}\n");
}
