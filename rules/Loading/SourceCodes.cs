namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>
/// Stable codes of the annual evaluation's validation errors (<c>RS5xxx</c>: <c>cadence</c> and <c>sources</c>, annual
/// contract §1–2), each reported at the line and column of its node. The other ruleset codes are
/// <see cref="RulesetCodes"/> (an unknown key inside a source is still <see cref="RulesetCodes.UnknownKey"/>). A code is
/// never reused for another meaning.
/// </summary>
public static class SourceCodes
{
    /// <summary><c>cadence</c> that is not <c>quarter</c> or <c>year</c> (at the value).</summary>
    public const string Cadence = "RS5001";

    /// <summary><c>sources</c> without <c>cadence: year</c> (at the key <c>sources</c>).</summary>
    public const string SourcesWithoutYear = "RS5002";

    /// <summary>A source id that is not a formula name <c>[A-Za-z_][A-Za-z0-9_]*</c> (at the id).</summary>
    public const string SourceId = "RS5003";

    /// <summary><c>from</c> missing (at the source) or not <c>quarters</c> / <c>months</c> (at the value).</summary>
    public const string From = "RS5004";

    /// <summary><c>figure</c> missing on a quarters source (at the source) or unknown (at the value).</summary>
    public const string Figure = "RS5005";

    /// <summary><c>dimension</c> / <c>indicator</c> missing where the figure needs it (at <c>figure</c>'s value), or given
    /// where it does not (at the key).</summary>
    public const string FigureTarget = "RS5006";

    /// <summary><c>light</c> missing on a months source (at the source).</summary>
    public const string Light = "RS5007";

    /// <summary>A source id, or an input id it generates, equal (ignoring case) to another source's or its inputs, a declared
    /// input, a formula variable or a function; or a generated input id equal to an indicator's or adjustment's id (at the id).</summary>
    public const string Clash = "RS5008";
}
