using System.Collections.Immutable;

namespace BaiQianWan.Assess.Samples.Generation;

/// <summary>
/// One prefecture-level city of the synthetic province: how many county-level units of each kind it
/// has, how many towns and streets, and which town tiers it uses. Cities are not assessed units and
/// are not rows of units.csv; a county's city shows only in its code (digits 3–4 at scale 1).
/// </summary>
/// <param name="Tier">1: core bay city, 2: other bay or coastal city, 3: eastern, western or northern city.</param>
/// <param name="Districts">Urban districts (区).</param>
/// <param name="Counties">Counties (县).</param>
/// <param name="Autonomous">Yao (瑶族) autonomous counties.</param>
/// <param name="CountyCities">County-level cities (县级市).</param>
/// <param name="Towns">Towns, townships and streets under all its county-level units.</param>
/// <param name="Scheme">The town tiers this city uses.</param>
internal sealed record CityPlan(int Tier, int Districts, int Counties, int Autonomous, int CountyCities, int Towns, TownScheme Scheme)
{
    /// <summary>If set, the city's last district is a special area with this class, which the county ruleset does not list.</summary>
    public string? SpecialDistrictClass { get; init; }

    /// <summary>If set, one town of the city's first county (县, numbered 21) has this class, which the town ruleset does not list.</summary>
    public string? UnlistedTownClass { get; init; }

    /// <summary>The city's first county has a She (畲族) ethnic township.</summary>
    public bool SheTownship { get; init; }

    /// <summary>County-level units of the city.</summary>
    public int CountyUnits => Districts + Counties + Autonomous + CountyCities;

    /// <summary>
    /// The 21 cities at scale 1. The totals follow the real province's shape (65 districts, 34 counties,
    /// 3 autonomous counties, 20 county-level cities: 122 units; 1,609 towns and streets) so that class
    /// sizes and peer groups are realistic, while every name and code is invented.
    /// </summary>
    public static ImmutableArray<CityPlan> Province { get; } =
    [
        new(1, 11, 0, 0, 0, 170, TownScheme.Bay),
        new(1, 9, 0, 0, 0, 74, TownScheme.Bay),
        new(1, 5, 0, 0, 0, 32, TownScheme.Bay),
        new(2, 3, 0, 0, 0, 30, TownScheme.Coastal),
        new(2, 3, 1, 0, 0, 37, TownScheme.Coastal) { SpecialDistrictClass = CountyClasses.CooperationZone },
        new(2, 3, 0, 0, 0, 33, TownScheme.Bay),
        new(2, 3, 2, 0, 0, 71, TownScheme.Coastal),
        new(2, 3, 0, 0, 4, 73, TownScheme.Coastal),
        new(2, 2, 2, 0, 3, 121, TownScheme.Wing),
        new(3, 2, 0, 0, 3, 112, TownScheme.Wing),
        new(3, 3, 3, 0, 1, 104, TownScheme.Mountain) { SpecialDistrictClass = CountyClasses.NewArea },
        new(3, 2, 5, 0, 1, 110, TownScheme.Mountain) { UnlistedTownClass = TownClasses.CountySeat },
        new(3, 1, 2, 0, 1, 56, TownScheme.Wing),
        new(3, 1, 5, 0, 0, 113, TownScheme.North) { SheTownship = true },
        new(3, 2, 1, 0, 1, 48, TownScheme.Wing),
        new(3, 2, 2, 2, 2, 85, TownScheme.Mountain),
        new(3, 2, 4, 1, 2, 104, TownScheme.North) { UnlistedTownClass = TownClasses.ModelMarket },
        new(3, 2, 1, 0, 0, 43, TownScheme.Mountain),
        new(3, 3, 2, 0, 1, 88, TownScheme.Wing),
        new(3, 2, 3, 0, 1, 65, TownScheme.North) { SheTownship = true },
        new(3, 1, 1, 0, 0, 40, TownScheme.Mountain),
    ];
}
