using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Store;

/// <summary>Where a publication stands in the notice-and-review flow (公示、复核).</summary>
public enum NoticeState
{
    /// <summary>公示中: published with a notice period; units may ask for review until its deadline.</summary>
    Provisional,

    /// <summary>正式: final (directly, or made final after its notice); it never changes.</summary>
    Final,

    /// <summary>已替换: a provisional publication a later publication of the period replaced.</summary>
    Replaced,

    /// <summary>已撤回: a provisional publication the office withdrew.</summary>
    Withdrawn,
}

/// <summary>
/// One publication of a period and level (one revision of its pointer) as the notice-and-review flow sees it. Every
/// publication has one, kept for ever: the current one is the pointer's revision, the earlier ones are its history.
/// </summary>
/// <param name="Period">Period.</param>
/// <param name="Level">Level.</param>
/// <param name="Revision">The publication pointer's revision this publication made.</param>
/// <param name="RunId">The run published.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Actor">Who published it.</param>
/// <param name="At">When.</param>
/// <param name="NoticeDays">The notice period in calendar days, or null for a publication made final directly.</param>
/// <param name="Deadline">
/// The end of the notice period, exclusive (the start of the day after the last day, China time), or null for a
/// publication made final directly: a request may be filed while the time is before it, the publication made final
/// from it on.
/// </param>
/// <param name="ClosedBy">Who made it final, withdrew it, or replaced it (by publishing another run).</param>
/// <param name="ClosedAt">When.</param>
/// <param name="ClosedNote">The withdrawal's reason, or the run that replaced it.</param>
public sealed record PublicationNotice(Period Period, UnitLevel Level, int Revision, string RunId, NoticeState State, string Actor,
    DateTimeOffset At, int? NoticeDays, DateTimeOffset? Deadline, string? ClosedBy = null, DateTimeOffset? ClosedAt = null, string? ClosedNote = null)
{
    /// <summary>True for a publication that went through a notice period (it had a deadline).</summary>
    public bool HadNotice => Deadline is not null;
}

/// <summary>What a review request is about: an indicator, an adjustment (bonus or deduction) or a veto of the unit's results.</summary>
public enum ReviewTargetKind
{
    /// <summary>An indicator.</summary>
    Indicator,

    /// <summary>An adjustment (加分、扣分).</summary>
    Adjustment,

    /// <summary>A veto (一票否决).</summary>
    Veto,
}

/// <summary>Where a review request (复核申请) stands.</summary>
public enum ReviewState
{
    /// <summary>待答复: filed, not answered yet.</summary>
    Open,

    /// <summary>维持: answered, the result upheld.</summary>
    Upheld,

    /// <summary>更正中: answered 更正; open until a new run of the period is published.</summary>
    Correcting,

    /// <summary>已更正: the correcting run was published (<see cref="ReviewRequest.CorrectingRunId"/>).</summary>
    Corrected,

    /// <summary>已撤回: withdrawn by its unit, or closed with its publication's withdrawal.</summary>
    Withdrawn,
}

/// <summary>An evidence file of a review request: its name, type (pdf, png, jpeg, xlsx, docx), size and SHA-256 (the content is stored under it).</summary>
public sealed record ReviewFile(string Name, string Type, long Size, string Sha256);

/// <summary>A review request as filed (the store gives it its id, state and version).</summary>
/// <param name="Period">The publication's period.</param>
/// <param name="Level">Its level.</param>
/// <param name="Revision">The publication (pointer revision) the unit saw: filing is refused when it is no longer the current one.</param>
/// <param name="Unit">The unit's code (its own results).</param>
/// <param name="TargetKind">Indicator, adjustment or veto.</param>
/// <param name="Target">The indicator's, adjustment's or veto's id.</param>
/// <param name="Reason">Why the unit asks.</param>
/// <param name="Files">The evidence files (their contents stored beforehand under their SHA-256).</param>
/// <param name="FiledBy">The unit's account.</param>
public sealed record ReviewDraft(Period Period, UnitLevel Level, int Revision, string Unit, ReviewTargetKind TargetKind, string Target,
    string Reason, ImmutableArray<ReviewFile> Files, string FiledBy);

/// <summary>A review request (复核申请) with its answer; kept for ever.</summary>
/// <param name="Id">Its id (<c>rv-000001</c>, in the order filed).</param>
/// <param name="Period">Period.</param>
/// <param name="Level">Level.</param>
/// <param name="Unit">The unit that filed it.</param>
/// <param name="FiledRunId">The run published when it was filed.</param>
/// <param name="FiledRevision">The publication it was filed on.</param>
/// <param name="RunId">The publication it is on now (open requests move to a replacing publication).</param>
/// <param name="Revision">That publication's revision.</param>
/// <param name="TargetKind">Indicator, adjustment or veto.</param>
/// <param name="Target">Its id.</param>
/// <param name="Reason">Why the unit asks.</param>
/// <param name="Files">The evidence files.</param>
/// <param name="FiledBy">The unit's account.</param>
/// <param name="FiledAt">When.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Answer">The office's answer (its reason), or the reason of a withdrawal.</param>
/// <param name="AnsweredBy">Who answered (or withdrew it).</param>
/// <param name="AnsweredAt">When.</param>
/// <param name="CorrectingRunId">For a corrected request, the run whose publication corrected it.</param>
/// <param name="ClosedAt">When it was closed (corrected or withdrawn; for upheld, the answer's time).</param>
/// <param name="Version">1 when filed, +1 on each change: a change is written only over the version it was made from.</param>
public sealed record ReviewRequest(string Id, Period Period, UnitLevel Level, string Unit, string FiledRunId, int FiledRevision, string RunId,
    int Revision, ReviewTargetKind TargetKind, string Target, string Reason, ImmutableArray<ReviewFile> Files, string FiledBy,
    DateTimeOffset FiledAt, ReviewState State, string? Answer, string? AnsweredBy, DateTimeOffset? AnsweredAt, string? CorrectingRunId,
    DateTimeOffset? ClosedAt, int Version)
{
    /// <summary>True while the request keeps its publication from being made final (待答复 or 更正中).</summary>
    public bool IsPending => State is ReviewState.Open or ReviewState.Correcting;
}

/// <summary>Words for the review flow's states and kinds, as stored and printed.</summary>
public static class ReviewWords
{
    /// <summary>The stored word of a notice state.</summary>
    public static string ToText(this NoticeState state) => state switch
    {
        NoticeState.Provisional => "provisional",
        NoticeState.Final => "final",
        NoticeState.Replaced => "replaced",
        NoticeState.Withdrawn => "withdrawn",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    /// <summary>The Chinese word of a notice state.</summary>
    public static string ToChinese(this NoticeState state) => state switch
    {
        NoticeState.Provisional => "公示中",
        NoticeState.Final => "正式",
        NoticeState.Replaced => "已替换",
        NoticeState.Withdrawn => "已撤回",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    /// <summary>A notice state from its stored word.</summary>
    public static NoticeState NoticeStateOf(string text) => text switch
    {
        "provisional" => NoticeState.Provisional,
        "final" => NoticeState.Final,
        "replaced" => NoticeState.Replaced,
        "withdrawn" => NoticeState.Withdrawn,
        _ => throw new StoreException(StoreError.Conflict, $"未知的公示状态 '{text}'"),
    };

    /// <summary>The stored word of a request state.</summary>
    public static string ToText(this ReviewState state) => state switch
    {
        ReviewState.Open => "open",
        ReviewState.Upheld => "upheld",
        ReviewState.Correcting => "correcting",
        ReviewState.Corrected => "corrected",
        ReviewState.Withdrawn => "withdrawn",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    /// <summary>The Chinese word of a request state.</summary>
    public static string ToChinese(this ReviewState state) => state switch
    {
        ReviewState.Open => "待答复",
        ReviewState.Upheld => "维持",
        ReviewState.Correcting => "更正中",
        ReviewState.Corrected => "已更正",
        ReviewState.Withdrawn => "已撤回",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    /// <summary>A request state from its stored word.</summary>
    public static ReviewState ReviewStateOf(string text) => text switch
    {
        "open" => ReviewState.Open,
        "upheld" => ReviewState.Upheld,
        "correcting" => ReviewState.Correcting,
        "corrected" => ReviewState.Corrected,
        "withdrawn" => ReviewState.Withdrawn,
        _ => throw new StoreException(StoreError.Conflict, $"未知的复核申请状态 '{text}'"),
    };

    /// <summary>The stored word of a target kind: indicator, adjustment, veto.</summary>
    public static string ToText(this ReviewTargetKind kind) => kind switch
    {
        ReviewTargetKind.Indicator => "indicator",
        ReviewTargetKind.Adjustment => "adjustment",
        ReviewTargetKind.Veto => "veto",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The Chinese word of a target kind.</summary>
    public static string ToChinese(this ReviewTargetKind kind) => kind switch
    {
        ReviewTargetKind.Indicator => "指标",
        ReviewTargetKind.Adjustment => "加减分项",
        ReviewTargetKind.Veto => "否决项",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>A target kind from its word, or null.</summary>
    public static ReviewTargetKind? TargetKindOf(string text) => text switch
    {
        "indicator" or "指标" => ReviewTargetKind.Indicator,
        "adjustment" or "加减分项" => ReviewTargetKind.Adjustment,
        "veto" or "否决项" => ReviewTargetKind.Veto,
        _ => null,
    };
}
