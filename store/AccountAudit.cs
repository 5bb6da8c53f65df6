namespace BaiQianWan.Assess.Store;

/// <summary>The audit entry an account change appends (its target is the account's name).</summary>
/// <param name="At">When.</param>
/// <param name="Actor">Who.</param>
/// <param name="Action">What, <c>account.*</c>.</param>
/// <param name="Detail">Free text; never a password or hash.</param>
internal sealed record AccountAudit(DateTimeOffset At, string Actor, string Action, string? Detail);
