namespace BaiQianWan.Assess.Portal.Models;

/// <summary>The office's accounts page.</summary>
/// <param name="Frame">Layout.</param>
/// <param name="Accounts">Every account.</param>
/// <param name="IssuedFor">The account a one-time password was just issued for.</param>
/// <param name="IssuedPassword">That password (shown once).</param>
/// <param name="Now">For lockout display.</param>
public sealed record AccountsPageModel(PageFrame Frame, IReadOnlyList<BaiQianWan.Assess.Store.Account> Accounts, string? IssuedFor, string? IssuedPassword, DateTimeOffset Now);
