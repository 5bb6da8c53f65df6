namespace BaiQianWan.Assess.Functions.Auth;

/// <summary>The roles a bearer token can carry (claim <c>role</c>) and the claims the API reads.</summary>
public static class Roles
{
    /// <summary>Assessment office: everything.</summary>
    public const string Office = "office";

    /// <summary>Rule author: rulesets and previews.</summary>
    public const string Author = "author";

    /// <summary>An assessed unit: its own scorecards (a county also its towns').</summary>
    public const string Unit = "unit";

    /// <summary>Claim holding the role.</summary>
    public const string RoleClaim = "role";

    /// <summary>Claim holding a unit token's unit code.</summary>
    public const string UnitClaim = "unit";

    /// <summary>Claim naming who the token was issued to (the actor in the audit log).</summary>
    public const string SubjectClaim = "sub";
}
