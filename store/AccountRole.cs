namespace BaiQianWan.Assess.Store;

/// <summary>What an account may do in the portal and the API (the same roles as a bearer token's <c>role</c> claim).</summary>
public enum AccountRole
{
    /// <summary>Assessment office: everything, including accounts.</summary>
    Office,

    /// <summary>Rule author: rulesets, versions and previews.</summary>
    Author,

    /// <summary>An assessed unit (county or town): its own results, its class's bulletin, a county also its towns'.</summary>
    Unit,
}
