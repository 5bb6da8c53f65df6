using BaiQianWan.Assess.Portal.Models;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Portal.Building;

/// <summary>
/// Notice and review (公示、复核) on the result pages: the 公示稿 mark with its deadline on every page showing a provisionally
/// published result (a unit's scorecard and home, the class bulletin, the month panel), the notice's state on the office's
/// run pages with the publish form's choices, and what a unit may ask to review on its scorecard.
/// </summary>
public sealed partial class PortalPages
{
    /// <summary>The publish form's choices: 公示 ticked when the timers' notice days are set (<c>Runs__AutoPublishNoticeDays</c>), with those days, else 5.</summary>
    public PublishChoice PublishDefaults { get; init; } = new(false, DefaultNoticeDays);

    /// <summary>The notice days the publish form starts with when no setting gives them.</summary>
    public const int DefaultNoticeDays = 5;

    /// <summary>The current notice of a period and level when it is run <paramref name="runId"/>'s, or null (no notices kept, another run published).</summary>
    private async Task<PublicationNotice?> NoticeOfAsync(Period period, UnitLevel level, string runId, CancellationToken cancellationToken) =>
        _service.Reviews is { } reviews && await reviews.GetNoticeAsync(period, level, cancellationToken) is { } notice && notice.RunId == runId ? notice : null;

    /// <summary>The 公示稿 mark of run <paramref name="runId"/>'s publication while it is provisional, else null.</summary>
    private async Task<DraftMark?> DraftAsync(Period period, UnitLevel level, string runId, CancellationToken cancellationToken) =>
        DraftMark.Of(await NoticeOfAsync(period, level, runId, cancellationToken));

    /// <summary>What a review request may be about in a unit's result: its indicators, adjustments and vetoes, named by the run's ruleset.</summary>
    private static List<ReviewTarget> Targets(UnitResult result, IReadOnlyDictionary<string, string> names)
    {
        string Name(string id) => names.TryGetValue(id, out var n) && n != id ? $"{n}（{id}）" : id;
        return
        [
            .. result.Indicators.Select(i => new ReviewTarget($"{ReviewTargetKind.Indicator.ToText()}:{i.Id}", $"{ReviewTargetKind.Indicator.ToChinese()}：{Name(i.Id)}")),
            .. result.Adjustments.Select(a => new ReviewTarget($"{ReviewTargetKind.Adjustment.ToText()}:{a.Id}", $"{ReviewTargetKind.Adjustment.ToChinese()}：{Name(a.Id)}")),
            .. result.Vetoes.Select(v => new ReviewTarget($"{ReviewTargetKind.Veto.ToText()}:{v}", $"{ReviewTargetKind.Veto.ToChinese()}：{Name(v)}")),
        ];
    }
}
