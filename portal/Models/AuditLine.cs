namespace BaiQianWan.Assess.Portal.Models;

/// <summary>One audit entry.</summary>
/// <param name="Sequence">Position in the log.</param>
/// <param name="At">When.</param>
/// <param name="Actor">Who.</param>
/// <param name="Action">What.</param>
/// <param name="Target">On what.</param>
/// <param name="Detail">Details.</param>
public sealed record AuditLine(long Sequence, DateTimeOffset At, string Actor, string Action, string Target, string? Detail);
