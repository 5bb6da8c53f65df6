using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;

namespace BaiQianWan.Assess.Functions.Http;

// The API's JSON shapes: flat, camelCase, lower-case enum spellings as in the data files.

/// <summary>Body of <c>POST /api/evaluations</c>.</summary>
/// <param name="Period">Period, e.g. <c>2025Q3</c>.</param>
/// <param name="Level">county, town or village.</param>
/// <param name="Ruleset">Ruleset id.</param>
/// <param name="Version">Ruleset version; null for the active one.</param>
/// <param name="Sample">The data is sample data (documents are marked 示例数据).</param>
public sealed record EvaluationRequest(string? Period, string? Level, string? Ruleset, int? Version, bool Sample = false);

/// <summary>
/// An evaluation run (with how far its documents are, when it has results). <c>HeartbeatAt</c> is when its worker last
/// reported progress (after evaluating and after each render batch); a run silent an hour past that is failed as stranded.
/// <c>Sources</c>, for a year run with results, lists the publications it read against each period's current publication
/// (null for a quarter or month run, or before results).
/// </summary>
public sealed record RunDto(string Id, string Period, string Level, string Ruleset, int Version, string Status, string? Reason,
    string? DataSha256, string Actor, DateTimeOffset RequestedAt, DateTimeOffset? StartedAt, DateTimeOffset? HeartbeatAt, DateTimeOffset? CompletedAt, bool Sample,
    DocumentsDto? Documents = null, IReadOnlyList<RunSourceDto>? Sources = null)
{
    /// <summary>The API shape of a stored run.</summary>
    public static RunDto Of(EvaluationRun r, RenderProgress? progress = null, IReadOnlyList<SourceStatus>? sources = null) => new(r.Id, r.Period.ToString(), r.Level.ToText(), r.RulesetId, r.RulesetVersion,
        r.Status.ToString().ToLowerInvariant(), r.Reason, r.DataSha256, r.Actor, r.RequestedAt, r.StartedAt, r.HeartbeatAt, r.CompletedAt, r.Sample,
        progress is null ? null : new DocumentsDto(progress.ScorecardsExpected, progress.ScorecardsStored, progress.BulletinsExpected, progress.BulletinsStored),
        sources?.Select(RunSourceDto.Of).ToList());
}

/// <summary>
/// (annual §3) A publication a year run read (<c>Run</c>, null when read from a file without a run id; <c>Sha256</c>, the
/// hash of the results JSON it read) and the period's current publication now (<c>CurrentRun</c>, null when withdrawn);
/// <c>Current</c> is false once the period was published again or withdrawn: the year is not redone by itself.
/// </summary>
public sealed record RunSourceDto(string Period, string? Run, string Sha256, string? CurrentRun, bool Current)
{
    /// <summary>The API shape of a source as the workflow reads it.</summary>
    public static RunSourceDto Of(SourceStatus s) => new(s.Period.ToString(), s.Run, s.Sha256, s.CurrentRun, s.Current);
}

/// <summary>Documents a run's results call for, and how many are stored.</summary>
public sealed record DocumentsDto(int ScorecardsExpected, int ScorecardsStored, int BulletinsExpected, int BulletinsStored);

/// <summary>
/// A publication (one revision of a period's pointer) with its notice (公示): its state (<c>provisional</c> 公示中,
/// <c>final</c> 正式, <c>replaced</c> 已替换, <c>withdrawn</c> 已撤回), the notice days and deadline (the end of the last day,
/// China time, exclusive; null for a publication made final directly), and who closed it, when and why.
/// </summary>
public sealed record PublicationDto(string Period, string Level, string RunId, string Actor, DateTimeOffset At, int Revision,
    string State, string StateName, int? NoticeDays, DateTimeOffset? Deadline, string? LastDay, string? ClosedBy, DateTimeOffset? ClosedAt, string? ClosedNote)
{
    /// <summary>The API shape of a publication made final directly (a store that keeps no notices).</summary>
    public static PublicationDto Of(Publication p) => new(p.Period.ToString(), p.Level.ToText(), p.RunId, p.Actor, p.At, p.Revision,
        NoticeState.Final.ToText(), NoticeState.Final.ToChinese(), null, null, null, null, null, null);

    /// <summary>The API shape of a publication with its notice.</summary>
    public static PublicationDto Of(PublicationNotice n) => new(n.Period.ToString(), n.Level.ToText(), n.RunId, n.Actor, n.At, n.Revision,
        n.State.ToText(), n.State.ToChinese(), n.NoticeDays, n.Deadline?.ToOffset(Workflow.Reviews.Notice.ChinaOffset),
        n.Deadline is { } d ? Workflow.Reviews.Notice.LastDay(d).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null,
        n.ClosedBy, n.ClosedAt, n.ClosedNote);
}

/// <summary>A ruleset version (the text only when asked for one version).</summary>
public sealed record RulesetDto(string Id, int Version, string Sha256, string Author, DateTimeOffset CreatedAt, bool Active, string? Yaml)
{
    /// <summary>The API shape of a stored version.</summary>
    public static RulesetDto Of(RulesetVersion v, bool withText) => new(v.RulesetId, v.Version, v.Sha256, v.Author, v.CreatedAt, v.Active, withText ? v.Yaml : null);

    /// <summary>The API shape of a stored version in a listing (never with its text).</summary>
    public static RulesetDto Of(RulesetVersionInfo v) => new(v.RulesetId, v.Version, v.Sha256, v.Author, v.CreatedAt, v.Active, null);
}

/// <summary>The answer to a deactivation: the ruleset id and the version that was active, or null when none was.</summary>
public sealed record DeactivationDto(string Id, RulesetDto? Deactivated);

/// <summary>
/// Result of validating a ruleset, with its warnings (allowed, probably not meant: e.g. a class whose weights do not add up
/// to the total; empty when there are none).
/// </summary>
public sealed record ValidationDto(bool Valid, string? Id, string? Name, string? Level, string Sha256, IReadOnlyList<RulesetWarningDto> Warnings);

/// <summary>A warning about a valid ruleset, with its stable code (<c>RS9xxx</c>) and where it is (line and column from 1).</summary>
public sealed record RulesetWarningDto(string Code, int Line, int Column, string Message)
{
    /// <summary>The API shape of a loader warning.</summary>
    public static RulesetWarningDto Of(BaiQianWan.Assess.Rules.Loading.RulesetDiagnostic d) => new(d.Code ?? "", d.Position.Line, d.Position.Column, d.Message);
}

/// <summary>A positioned ruleset error.</summary>
public sealed record RulesetErrorDto(int Line, int Column, string Message);

/// <summary>An import batch and whether it was a repeat.</summary>
public sealed record ImportDto(string Id, string Kind, int? Year, string FileName, string Sha256, int RowCount, string Actor, DateTimeOffset At, bool AlreadyImported)
{
    /// <summary>The API shape of an import outcome.</summary>
    public static ImportDto Of(ImportOutcome o) => new(o.Batch.Id, o.Batch.Kind.ToString().ToLowerInvariant(), o.Batch.Year, o.Batch.FileName,
        o.Batch.Sha256, o.Batch.RowCount, o.Batch.Actor, o.Batch.At, o.AlreadyImported);
}

/// <summary>A ruleset preview.</summary>
public sealed record PreviewDto(string Ruleset, int Version, int? ActiveVersion, string Period, IReadOnlyList<PreviewRowDto> Units)
{
    /// <summary>The API shape of a preview.</summary>
    public static PreviewDto Of(RulesetPreview p) => new(p.RulesetId, p.Version, p.ActiveVersion, p.Period.ToString(),
        [.. p.Rows.Select(r => new PreviewRowDto(r.Code, r.Name, r.Class, r.Total, r.Rank, r.Grade, r.ActiveTotal, r.ActiveRank, r.ActiveGrade, r.TotalChange, r.RankChange))]);
}

/// <summary>One unit in a preview: under the draft, under the active version, and the change (rank change: places gained).</summary>
public sealed record PreviewRowDto(string Code, string Name, string Class, decimal Total, int Rank, string Grade,
    decimal? ActiveTotal, int? ActiveRank, string? ActiveGrade, decimal? TotalChange, int? RankChange);
