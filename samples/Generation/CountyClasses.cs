namespace BaiQianWan.Assess.Samples.Generation;

/// <summary>The county classes of the sample county ruleset, plus the two it deliberately leaves out.</summary>
internal static class CountyClasses
{
    public const string Lead = "创先";
    public const string Advance = "进位";
    public const string Uplift = "消薄";

    /// <summary>A cooperation zone run jointly by two cities; not in the county ruleset, so skipped.</summary>
    public const string CooperationZone = "特别合作区";

    /// <summary>A new area still in transition; not in the county ruleset, so skipped.</summary>
    public const string NewArea = "新区";
}
