using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow.Ledger;

/// <summary>
/// Who acts on the ledger: an account with its role and, for a unit, its unit code. Hosts build it from their one
/// caller (the API's and portal's signed-in account, the CLI's operator); the ledger decides from it what may be done
/// (the office everything but verifying its own submission; a unit its own tasks' submissions and extension requests).
/// </summary>
/// <param name="Account">The account name (or CLI operator), recorded in the history.</param>
/// <param name="Role">Office, unit (author: nothing in the ledger).</param>
/// <param name="Unit">The unit's code when <paramref name="Role"/> is <see cref="AccountRole.Unit"/>.</param>
public sealed record LedgerActor(string Account, AccountRole Role, string? Unit = null)
{
    /// <summary>The office acting as <paramref name="account"/>.</summary>
    public static LedgerActor Office(string account) => new(account, AccountRole.Office);

    /// <summary>A unit's account.</summary>
    public static LedgerActor OfUnit(string account, string unit) => new(account, AccountRole.Unit, unit);

    /// <summary>True for the office.</summary>
    public bool IsOffice => Role == AccountRole.Office;

    /// <summary>The role as recorded in the history: <c>office</c> or <c>unit</c>.</summary>
    public string RoleWord => Role.ToClaim();
}

/// <summary>A change the actor may not make (wrong role or unit): hosts answer 403, the CLI exits 4. Nothing is written.</summary>
public sealed class LedgerRefusedException(string message) : Exception(message);
