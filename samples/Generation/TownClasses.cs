namespace BaiQianWan.Assess.Samples.Generation;

/// <summary>The town tiers the sample town ruleset lists, plus the two it deliberately leaves out.</summary>
internal static class TownClasses
{
    public const string Centre = "中心镇";
    public const string Specialised = "专业镇";
    public const string Featured = "特色镇";
    public const string UrbanStreet = "城区街道";
    public const string Supported = "重点帮扶镇";
    public const string Consolidating = "巩固提升镇";
    public const string Ordinary = "普通镇";

    /// <summary>A tier one city uses for its model market towns; not in the town ruleset, so skipped.</summary>
    public const string ModelMarket = "样板墟";

    /// <summary>A county seat classed apart by its city; not in the town ruleset, so skipped.</summary>
    public const string CountySeat = "县城";
}
