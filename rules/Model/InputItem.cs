namespace BaiQianWan.Assess.Rules.Model;

/// <summary>
/// (v3, spec 2.7) A data-only quantity (e.g. 户籍人口): read from observations like an indicator, never scored, shown or
/// listed as unknown; in an indicator formula its id is a variable with the unit's value for the period.
/// </summary>
/// <param name="Id">Id: a formula name, matching <c>observations.indicator</c>.</param>
/// <param name="Name">Display name.</param>
/// <param name="UnitOfMeasure">Unit of measure (e.g. 万人), if given.</param>
public sealed record InputItem(string Id, string Name, string? UnitOfMeasure);
