namespace BaiQianWan.Assess.Samples.Generation;

/// <summary>
/// The town tiers one city uses. There is no provincial scheme: each city classifies its towns with
/// its own subset of tiers, so the town ruleset lists their union.
/// </summary>
/// <param name="Streets">Urban streets form their own tier (城区街道) rather than being ranked with towns.</param>
/// <param name="Specialised">The city names 专业镇 (towns built around one industry).</param>
/// <param name="Featured">The city names 特色镇 (tourism, culture, farm specialities).</param>
/// <param name="Supported">The city splits its weaker towns into 重点帮扶镇 and 巩固提升镇 instead of 普通镇.</param>
/// <param name="SupportedAndOrdinary">The city keeps 普通镇 but still marks its weakest towns 重点帮扶镇.</param>
internal sealed record TownScheme(bool Streets, bool Specialised, bool Featured, bool Supported, bool SupportedAndOrdinary)
{
    /// <summary>湾区 style: streets, centres, specialised towns, the rest ordinary.</summary>
    public static TownScheme Bay { get; } = new(Streets: true, Specialised: true, Featured: false, Supported: false, SupportedAndOrdinary: false);

    /// <summary>Coastal style: adds featured towns.</summary>
    public static TownScheme Coastal { get; } = new(Streets: true, Specialised: true, Featured: true, Supported: false, SupportedAndOrdinary: false);

    /// <summary>Mountain style: no streets tier, weak towns split into supported and consolidating.</summary>
    public static TownScheme Mountain { get; } = new(Streets: false, Specialised: false, Featured: true, Supported: true, SupportedAndOrdinary: false);

    /// <summary>East/west wing style: streets and specialised towns, weak towns split as in the mountains.</summary>
    public static TownScheme Wing { get; } = new(Streets: true, Specialised: true, Featured: false, Supported: true, SupportedAndOrdinary: false);

    /// <summary>Northern style: featured and ordinary towns, the weakest marked for support.</summary>
    public static TownScheme North { get; } = new(Streets: false, Specialised: false, Featured: true, Supported: false, SupportedAndOrdinary: true);

    /// <summary>
    /// The tier of one town. <paramref name="position"/> is its place among the county's towns that are
    /// not classed as streets, strongest first, as a fraction in [0, 1); <paramref name="roll"/> is a
    /// uniform draw in [0, 100) that picks specialised and featured towns at random, since those
    /// tiers follow a town's industry rather than its size.
    /// </summary>
    public string Classify(bool isStreet, int index, decimal position, int roll)
    {
        if (isStreet && Streets) return TownClasses.UrbanStreet;
        // Every county keeps at least one centre town, and about one in seven towns is one.
        if (index == 0 || position < 0.15m) return TownClasses.Centre;
        if (Specialised && roll < 25) return TownClasses.Specialised;
        if (Featured && roll >= 75) return TownClasses.Featured;
        if (Supported) return position >= 0.65m ? TownClasses.Supported : TownClasses.Consolidating;
        if (SupportedAndOrdinary && position >= 0.75m) return TownClasses.Supported;
        return TownClasses.Ordinary;
    }
}
