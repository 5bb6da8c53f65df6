using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Portal.Models;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Portal.Building;

/// <summary>
/// Month runs (月度监测) in the portal: the office's review of a month run (the light matrix, its filters, the red list and
/// the run's own bulletin and unit PDFs), and a unit's latest published month on its home with its one-page PDF and the
/// level's bulletin. Who may read which is <see cref="AccessPolicy"/>'s, on the published month run's own units.
/// </summary>
public sealed partial class PortalPages
{
    /// <summary>True when the run exists and evaluates a month (its page is the month review).</summary>
    public async Task<bool> IsMonthRunAsync(string runId, CancellationToken cancellationToken = default) =>
        (await _service.GetRunAsync(runId, cancellationToken))?.Period.IsMonth == true;

    /// <summary>The office's review of a month run, filtered by class and light (unknown filters show all).</summary>
    public async Task<MonthReviewModel> MonthReviewAsync(PageFrame frame, string runId, string? @class, string? light, CancellationToken cancellationToken = default)
    {
        var run = await ReviewedRunAsync(runId, cancellationToken);
        if (!run.Period.IsMonth) throw PortalException.NotFound($"运行 {run.Id} 不是月度监测");
        var result = await _service.GetMonthResultsAsync(run.Id, cancellationToken)
            ?? throw PortalException.NotFound($"运行 {run.Id} 还没有结果");
        var line = await LineAsync(run, cancellationToken);
        var level = run.Level.ToText();
        var bulletin = await _service.GetDocumentAsync(run.Id, DocumentKind.Bulletin, level, cancellationToken) is null ? null : PortalUrls.RunBulletinPdf(run.Id, level);
        var ledgerKey = $"ledger-{level}";
        var ledger = await _service.GetDocumentAsync(run.Id, DocumentKind.Bulletin, ledgerKey, cancellationToken) is null ? null : PortalUrls.RunBulletinPdf(run.Id, ledgerKey);
        var id = run.Id;
        return new MonthReviewModel(frame with { Title = $"月度监测 {run.Period} {run.Level.ToChinese()}", Section = "runs" }, run.Id, result.Monitor.Name,
            run.Period, run.Level.ToChinese(), line.Published, MonthMatrix.Of(result, Blank(@class), Blank(light)), PortalUrls.Run(run.Id), bulletin,
            code => PortalUrls.RunScorecardPdf(id, code))
        {
            LedgerBulletinPdfUrl = ledger,
            CanPublish = run.Status == RunStatus.Succeeded && !line.Published,
            Notice = line.Published ? await NoticeOfAsync(run.Period, run.Level, run.Id, cancellationToken) : null,
            Publish = PublishDefaults,
        };
    }

    /// <summary>
    /// The unit's latest published month of its level that the visitor may read (the policy on that run's own units), with
    /// its one-page PDF and the level's bulletin where the policy lets the visitor read it; null when there is none.
    /// </summary>
    public async Task<UnitMonthModel?> UnitMonthAsync(PortalUser user, string code, CancellationToken cancellationToken = default)
    {
        var publications = await PublicationsAsync(cancellationToken);
        foreach (var p in publications.Where(p => p.Period.IsMonth).Reverse())
        {
            var units = await _readModel.UnitsAsync(_service, p.RunId, cancellationToken);
            if (!units.ContainsKey(code) || !AccessPolicy.MayReadUnit(user, code, p.Level, units)) continue;
            if (await _service.GetMonthResultsAsync(p.RunId, cancellationToken) is not { } result) continue;
            var bulletin = AccessPolicy.MayReadMonthBulletin(user, p.Level.ToText(), units) ? PortalUrls.MonthBulletinPdf(code, p.Period) : null;
            return UnitMonthModel.Of(result, code, PortalUrls.MonthPdf(code, p.Period), bulletin) is { } month
                ? month with { Draft = await DraftAsync(p.Period, p.Level, p.RunId, cancellationToken), RunId = p.RunId, Level = p.Level }
                : null;
        }
        return null;
    }

    /// <summary>
    /// A unit's one-page month PDF (<see cref="DocumentKind.Scorecard"/>) or its level's month bulletin of a published month,
    /// after the same checks as the scorecards: 403 when the visitor may not read it (whether or not it exists).
    /// </summary>
    public async Task<StoredDocument> MonthDocumentAsync(PortalUser user, string code, Period month, DocumentKind kind, CancellationToken cancellationToken = default)
    {
        if (!month.IsMonth) throw PortalException.NotFound($"{month} 不是月份");
        var publications = await PublicationsAsync(cancellationToken);
        foreach (var p in publications.Where(p => p.Period == month))
        {
            var units = await _readModel.UnitsAsync(_service, p.RunId, cancellationToken);
            if (!units.ContainsKey(code)) continue;
            if (!AccessPolicy.MayReadUnit(user, code, p.Level, units)) throw PortalException.Forbidden();
            var key = kind == DocumentKind.Scorecard ? code : p.Level.ToText();
            if (kind == DocumentKind.Bulletin && !AccessPolicy.MayReadMonthBulletin(user, key, units)) throw PortalException.Forbidden();
            return await _service.ServeDocumentAsync(p.RunId, kind, key, cancellationToken) ?? throw PortalException.NotFound("文档还没有生成");
        }
        // No published month holds the unit: the office and the unit itself learn so; anyone else gets the same 403.
        if (!AccessPolicy.MayReadUnit(user, code, null, null)) throw PortalException.Forbidden();
        throw PortalException.NotFound($"{month} 还没有发布含 {code} 的月度监测");
    }

    /// <summary>
    /// A monitor's preview on a month's stored data beside the level's active monitor. A period that is not a month is
    /// refused on the page in Chinese; with none asked, the latest month with data is previewed.
    /// </summary>
    private async Task<PreviewPageModel> MonitorPreviewAsync(PageFrame frame, string monitorId, int version, PreviewLinks links, Period? asked, Period latest,
        CancellationToken cancellationToken)
    {
        Period month;
        if (asked is { } a)
        {
            if (!a.IsMonth)
                return new PreviewPageModel(frame, monitorId, version, null, a.ToString(), [], $"月度监测按月预览：期间应为月份 YYYY-MM（如 2025-06），这里是 '{a}'", links);
            month = a;
        }
        else
        {
            var imports = await _service.ListImportsAsync(cancellationToken);
            var months = imports.SelectMany(i => i.PeriodRows()).Select(r => r.Period).Where(x => x.IsMonth).ToList();
            if (months.Count == 0)
                return new PreviewPageModel(frame, monitorId, version, null, latest.IsMonth ? latest.ToString() : "", [], "还没有任何月份的数据，请先上传月度指标数据", links);
            month = months.Max();
        }
        try
        {
            var preview = await _service.PreviewMonitorAsync(monitorId, version, month, cancellationToken);
            return new PreviewPageModel(frame, monitorId, version, preview.ActiveVersion, month.ToString(), [],
                preview.Rows.Count == 0 ? $"{month} 没有可监测的单位" : null, links) { Monitor = preview };
        }
        catch (Exception e) when (e is StoreException or InvalidOperationException or ArgumentException)
        {
            return new PreviewPageModel(frame, monitorId, version, null, month.ToString(), [], e.Message, links);
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
