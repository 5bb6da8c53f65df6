namespace BaiQianWan.Assess.Rules.Model;

/// <summary>
/// (Annual contract §1) What periods a scoring ruleset evaluates: <c>quarter</c> (the default) the year-to-date quarters
/// <c>YYYYQn</c>, <c>year</c> the whole year <c>YYYY</c> (年考评).
/// </summary>
public enum Cadence
{
    /// <summary>Periods <c>YYYYQn</c> (the default).</summary>
    Quarter,

    /// <summary>Periods <c>YYYY</c>.</summary>
    Year,
}
