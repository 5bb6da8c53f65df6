namespace BaiQianWan.Assess.Store;

/// <summary>One entry of the append-only audit log.</summary>
/// <param name="Sequence">Position in the log, from 1, gap-free per store.</param>
/// <param name="At">When.</param>
/// <param name="Actor">Who.</param>
/// <param name="Action">What, e.g. <c>import.units</c>, <c>ruleset.add</c>, <c>ruleset.activate</c>, <c>run.create</c>, <c>run.succeeded</c>, <c>run.failed</c>, <c>publish</c>.</param>
/// <param name="Target">What it was done to, e.g. <c>county-2025@3</c> or a run id.</param>
/// <param name="Detail">Free text, e.g. the file name and SHA-256.</param>
public sealed record AuditEntry(long Sequence, DateTimeOffset At, string Actor, string Action, string Target, string? Detail);
