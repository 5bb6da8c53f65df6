using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow.Reviews;

namespace BaiQianWan.Assess.Portal.Models;

/// <summary>
/// The 公示稿 mark of a provisionally published result (公示中): the period and level, the run published, and the deadline
/// of its notice. Pages showing a provisional result carry it until the office makes the publication final.
/// </summary>
/// <param name="Period">The period.</param>
/// <param name="Level">The level.</param>
/// <param name="RunId">The run published provisionally.</param>
/// <param name="Revision">The publication's revision.</param>
/// <param name="Deadline">The notice's deadline (exclusive: the start of the day after the last day, China time).</param>
public sealed record DraftMark(Period Period, UnitLevel Level, string RunId, int Revision, DateTimeOffset Deadline)
{
    /// <summary>The deadline as the pages print it: <c>2026-03-15 24:00（北京时间）</c>, the last moment a request is taken.</summary>
    public string DeadlineText => Notice.Text(Deadline);

    /// <summary>The mark of a notice, or null when it is not provisional.</summary>
    public static DraftMark? Of(PublicationNotice? notice) =>
        notice is { State: NoticeState.Provisional, Deadline: { } deadline } ? new DraftMark(notice.Period, notice.Level, notice.RunId, notice.Revision, deadline) : null;
}

/// <summary>Something of a unit's results a review request may be about (an indicator, an adjustment or a veto).</summary>
/// <param name="Value">The form's value: <c>indicator:fai</c>, <c>adjustment:honor</c>, <c>veto:safety</c>.</param>
/// <param name="Label">What the unit reads: <c>指标：固定资产投资（fai）</c>.</param>
public sealed record ReviewTarget(string Value, string Label);

/// <summary>A review request as the pages list it.</summary>
/// <param name="Request">The request.</param>
/// <param name="UnitName">Its unit's name.</param>
/// <param name="Files">Its evidence files, each with its download address.</param>
/// <param name="CanWithdraw">True when the visitor (its unit) may withdraw it now.</param>
/// <param name="CanAnswer">True when the visitor (the office) may answer it now.</param>
public sealed record ReviewLine(ReviewRequest Request, string UnitName, IReadOnlyList<(ReviewFile File, string Url)> Files, bool CanWithdraw, bool CanAnswer)
{
    /// <summary>Its target as the scorecard names it (<c>固定资产投资（fai）</c>, <c>国家级荣誉</c>); null: shown by its id.</summary>
    public string? TargetName { get; init; }
}

/// <summary>A unit's review panel on its published scorecard: the form while the publication is 公示中, and its requests.</summary>
/// <param name="Draft">The provisional publication's mark, or null when the period's publication is final.</param>
/// <param name="CanFile">True when the visitor is the unit itself and the notice is still open (before its deadline).</param>
/// <param name="Targets">What a request may be about.</param>
/// <param name="Requests">The unit's requests on the period (the office's view: every one of the unit).</param>
/// <param name="FileUrl">Where the form posts.</param>
/// <param name="OfficeUrl">The office's notice page of the period, for the office; null for a unit.</param>
public sealed record UnitReviewModel(DraftMark? Draft, bool CanFile, IReadOnlyList<ReviewTarget> Targets, IReadOnlyList<ReviewLine> Requests, string FileUrl,
    string? OfficeUrl);

/// <summary>The office's page of a period's and level's notice (公示、复核): its publications, the requests, the answers.</summary>
/// <param name="Frame">Layout.</param>
/// <param name="Period">The period.</param>
/// <param name="Level">The level.</param>
/// <param name="Current">The current publication, or null when nothing is published (withdrawn with no final one before).</param>
/// <param name="History">Every publication of the period and level, newest first.</param>
/// <param name="Requests">Every request of the period and level, newest first.</param>
/// <param name="Counts">N and M (the final bulletin's counts).</param>
/// <param name="FinalBlocked">Why the current provisional publication cannot be made final now, or null when it can (or is not provisional).</param>
/// <param name="Now">The time the page was built.</param>
public sealed record NoticePageModel(PageFrame Frame, Period Period, UnitLevel Level, PublicationNotice? Current, IReadOnlyList<PublicationNotice> History,
    IReadOnlyList<ReviewLine> Requests, ReviewCounts Counts, string? FinalBlocked, DateTimeOffset Now)
{
    /// <summary>True when the current publication is provisional (the office may make it final or withdraw it).</summary>
    public bool IsProvisional => Current?.State == NoticeState.Provisional;
}

/// <summary>One period's and level's current publication on the office's list of notices.</summary>
/// <param name="Notice">The current publication.</param>
/// <param name="Pending">Requests waiting (待答复 or 更正中).</param>
/// <param name="Filed">Every request filed on the period's publications.</param>
/// <param name="Url">The notice page.</param>
public sealed record NoticeRow(PublicationNotice Notice, int Pending, int Filed, string Url);

/// <summary>The office's list of publications with their notices.</summary>
/// <param name="Frame">Layout.</param>
/// <param name="Rows">The current publication of each period and level, provisional ones first, then newest period first.</param>
public sealed record NoticesPageModel(PageFrame Frame, IReadOnlyList<NoticeRow> Rows);

/// <summary>The publish form's choices on a run's review page.</summary>
/// <param name="NoticeByDefault">True when 公示 is the choice ticked (the office set the timers' notice days).</param>
/// <param name="Days">The notice days the form starts with.</param>
public sealed record PublishChoice(bool NoticeByDefault, int Days);
