using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Portal.Models;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Portal.Building;

/// <summary>
/// The office's review of one run, published or not: the run's own scorecards and bulletins (pages and PDFs), never the
/// period's published run's, so what the office reads before publishing is what it publishes.
/// </summary>
public sealed partial class PortalPages
{
    /// <summary>A unit's scorecard in a run (office only).</summary>
    public async Task<ScorecardPageModel> RunScorecardAsync(PortalUser user, PageFrame frame, string runId, string code, CancellationToken cancellationToken = default)
    {
        var run = await ReviewedRunAsync(runId, cancellationToken);
        var result = await _service.GetUnitResultAsync(run.Id, code, cancellationToken)
            ?? throw PortalException.NotFound($"运行 {run.Id} 的结果中没有单位 {code}");
        var summary = new ResultSummary(run.Period, result.Class, result.Total, result.Rank, result.Peers, result.Grade, result.Lists,
            PortalUrls.RunScorecard(run.Id, code), PortalUrls.RunScorecardPdf(run.Id, code));
        return await CardAsync(frame with { Title = $"{result.Name} {run.Period} 记分卡（运行 {run.Id}）", Section = "runs" }, run.Id, code, result.Name,
            summary, result, PortalUrls.Run(run.Id), cancellationToken);
    }

    /// <summary>A class's bulletin in a run (office only), with the change since the previous quarter as the PDF has it.</summary>
    public async Task<BulletinPageModel> RunBulletinAsync(PortalUser user, PageFrame frame, string runId, string @class, CancellationToken cancellationToken = default)
    {
        var run = await ReviewedRunAsync(runId, cancellationToken);
        var all = await ResultsAsync(run.Id, cancellationToken) ?? throw PortalException.NotFound($"运行 {run.Id} 还没有结果");
        var before = await PreviousRanksAsync(run, cancellationToken);
        var rows = all.Units.Where(u => u.Class == @class).OrderBy(u => u.Rank).ThenBy(u => u.Code, StringComparer.Ordinal)
            .Select(u => Row(u, PortalUrls.RunScorecard(run.Id, u.Code), Change(before, u)))
            .ToList();
        if (rows.Count == 0) throw PortalException.NotFound($"运行 {run.Id} 没有“{@class}”类的单位");
        return new BulletinPageModel(frame with { Title = $"“{@class}”类排名通报（运行 {run.Id}）", Section = "runs" }, run.Period, run.Level.ToChinese(), @class,
            rows, PortalUrls.RunBulletinPdf(run.Id, @class));
    }

    /// <summary>A run's PDF scorecard of a unit or bulletin of a class (office only).</summary>
    public async Task<(StoredDocument Document, EvaluationRun Run)> RunDocumentAsync(PortalUser user, string runId, DocumentKind kind, string key,
        CancellationToken cancellationToken = default)
    {
        var run = await ReviewedRunAsync(runId, cancellationToken);
        var document = await _service.ServeDocumentAsync(run.Id, kind, key, cancellationToken)
            ?? throw PortalException.NotFound(kind == DocumentKind.Scorecard ? $"运行 {run.Id} 没有 {key} 的记分卡" : $"运行 {run.Id} 没有“{key}”类的通报");
        return (document, run);
    }

    private async Task<EvaluationRun> ReviewedRunAsync(string runId, CancellationToken cancellationToken) =>
        await _service.GetRunAsync(runId, cancellationToken) ?? throw PortalException.NotFound($"没有运行 {runId}");

    /// <summary>The previous quarter's published results the run recorded, by unit code, or null when there are none.</summary>
    private async Task<Dictionary<string, UnitResult>?> PreviousRanksAsync(EvaluationRun? run, CancellationToken cancellationToken)
    {
        var previous = run?.PreviousRunId is { } prev ? await ResultsAsync(prev, cancellationToken) : null;
        return previous?.Units.ToDictionary(u => u.Code, StringComparer.Ordinal);
    }

    /// <summary>Places gained since the previous quarter, when the unit was ranked in the same class then.</summary>
    private static int? Change(Dictionary<string, UnitResult>? before, UnitResult u) =>
        before is not null && before.TryGetValue(u.Code, out var b) && b.Class == u.Class ? b.Rank - u.Rank : null;
}
