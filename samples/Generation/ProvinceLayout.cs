using System.Globalization;
using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Samples.Generation;

/// <summary>
/// Lays out the units of the synthetic province: county-level units city by city, their classes,
/// towns and streets with their tiers, the hidden profile of each, and the planted quirks.
/// </summary>
internal static class ProvinceLayout
{
    /// <summary>The fictional province prefix of every code; no real province uses 98.</summary>
    public const string ProvincePrefix = "98";

    // Per copy of the province: 30 创先, 59 进位 and 31 消薄 among the 120 units that are not special areas.
    private const int LeadCount = 30;
    private const int AdvanceCount = 59;

    /// <summary>Every unit of the province with its profile, ordered by code (ordinal).</summary>
    public static IReadOnlyList<UnitProfile> Build(ProvinceOptions options)
    {
        var cityCount = CityPlan.Province.Length * options.Scale;
        // Codes keep the administrative layout: prefix, city, county (2 digits), town (3 digits).
        // The city part widens beyond 99 cities (scale 5 and up) so codes stay unique.
        var cityWidth = Math.Max(2, cityCount.ToString(CultureInfo.InvariantCulture).Length);
        var names = new PlaceNames();
        var profiles = new List<UnitProfile>();
        for (var copy = 0; copy < options.Scale; copy++)
            profiles.AddRange(BuildCopy(options.Seed, copy, cityWidth, names));
        profiles.Sort((a, b) => string.CompareOrdinal(a.Unit.Code, b.Unit.Code));
        return profiles;
    }

    // One copy of the 21-city province. Scale N lays out N copies with their own cities, names and draws.
    private static List<UnitProfile> BuildCopy(int seed, int copy, int cityWidth, PlaceNames names)
    {
        var rng = SplitMix64.For(seed, "layout", copy.ToString(CultureInfo.InvariantCulture));
        var counties = new List<CountyDraft>();
        for (var c = 0; c < CityPlan.Province.Length; c++)
        {
            var city = CityPlan.Province[c];
            var cityCode = ProvincePrefix + (copy * CityPlan.Province.Length + c + 1).ToString("D" + cityWidth, CultureInfo.InvariantCulture);
            counties.AddRange(DraftCounties(city, cityCode, rng, names));
        }

        ClassifyCounties(counties);
        var profiles = new List<UnitProfile>();
        var towns = new List<UnitProfile>();
        foreach (var county in counties)
        {
            var countyProfile = CountyProfile(county, rng);
            profiles.Add(countyProfile);
            towns.AddRange(Towns(county, countyProfile, rng, names));
        }

        PlantQuirks(profiles, towns, rng);
        profiles.AddRange(towns);
        return profiles;
    }

    private static IEnumerable<CountyDraft> DraftCounties(CityPlan city, string cityCode, SplitMix64 rng, PlaceNames names)
    {
        var drafts = new List<CountyDraft>();
        // Administrative numbering: districts from 02, counties from 21, county-level cities from 81.
        for (var i = 0; i < city.Districts; i++)
        {
            var special = city.SpecialDistrictClass is not null && i == city.Districts - 1;
            drafts.Add(new CountyDraft(city, cityCode + (2 + i).ToString("D2", CultureInfo.InvariantCulture),
                special ? UnitKind.SpecialArea : UnitKind.District, special ? city.SpecialDistrictClass : null));
        }
        for (var i = 0; i < city.Counties + city.Autonomous; i++)
            drafts.Add(new CountyDraft(city, cityCode + (21 + i).ToString("D2", CultureInfo.InvariantCulture),
                i < city.Counties ? UnitKind.County : UnitKind.AutonomousCounty, null));
        for (var i = 0; i < city.CountyCities; i++)
            drafts.Add(new CountyDraft(city, cityCode + (81 + i).ToString("D2", CultureInfo.InvariantCulture), UnitKind.CountyCity, null));

        foreach (var d in drafts)
        {
            d.Name = names.NewCountyStem(rng) + d.Kind switch
            {
                UnitKind.District => "区",
                UnitKind.County => "县",
                UnitKind.AutonomousCounty => "瑶族自治县",
                UnitKind.CountyCity => "市",
                _ => d.FixedClass == CountyClasses.CooperationZone ? "特别合作区" : "新区",
            };
            // Bay districts are the strongest, autonomous mountain counties the weakest; the draw
            // lets a strong county of a poor city outrank a weak district of a rich one.
            d.Strength = (city.Tier switch { 1 => 70, 2 => 50, _ => 25 }) + d.Kind switch
            {
                UnitKind.District => city.Tier == 1 ? 15 : city.Tier == 2 ? 10 : 5,
                UnitKind.CountyCity => 5,
                UnitKind.AutonomousCounty => -10,
                _ => 0,
            } + rng.Below(30);
        }

        AllotTowns(city, drafts, rng);
        return drafts;
    }

    // Splits the city's towns among its county-level units: counties and county-level cities hold
    // more towns than districts; every unit gets at least three.
    private static void AllotTowns(CityPlan city, List<CountyDraft> drafts, SplitMix64 rng)
    {
        const int minimum = 3;
        var weights = drafts.Select(d => (d.Kind switch
        {
            UnitKind.District => city.Tier == 1 ? 100 : 80,
            UnitKind.County => 130,
            UnitKind.AutonomousCounty => 100,
            UnitKind.CountyCity => 140,
            _ => 60,
        }) * rng.Between(75, 125)).ToArray();
        var spare = city.Towns - minimum * drafts.Count;
        var totalWeight = weights.Sum();
        var given = 0;
        var remainders = new (long Remainder, int Index)[drafts.Count];
        for (var i = 0; i < drafts.Count; i++)
        {
            var share = (long)spare * weights[i];
            drafts[i].TownCount = minimum + (int)(share / totalWeight);
            given += drafts[i].TownCount - minimum;
            remainders[i] = (share % totalWeight, i);
        }
        // Largest remainder first, ties by position: the split sums to the city's total exactly.
        foreach (var (_, index) in remainders.OrderByDescending(r => r.Remainder).ThenBy(r => r.Index).Take(spare - given))
            drafts[index].TownCount++;
    }

    private static void ClassifyCounties(List<CountyDraft> counties)
    {
        var ranked = counties.Where(c => c.FixedClass is null)
            .OrderByDescending(c => c.Strength).ThenBy(c => c.Code, StringComparer.Ordinal).ToList();
        for (var i = 0; i < ranked.Count; i++)
            ranked[i].FixedClass = i < LeadCount ? CountyClasses.Lead
                : i < LeadCount + AdvanceCount ? CountyClasses.Advance
                : CountyClasses.Uplift;
    }

    private static UnitProfile CountyProfile(CountyDraft d, SplitMix64 rng)
    {
        var cls = d.FixedClass!;
        // Annual GDP in 亿元: 创先 units are the big economies, 消薄 the small mountain ones.
        var size = cls switch
        {
            CountyClasses.Lead => rng.Uniform(700m, 3200m),
            CountyClasses.Advance => rng.Uniform(280m, 900m),
            CountyClasses.Uplift => rng.Uniform(90m, 320m),
            _ => rng.Uniform(150m, 400m),
        };
        var shift = cls switch { CountyClasses.Lead => 0.1m, CountyClasses.Uplift => -0.1m, _ => 0m };
        var drive = Clamp(rng.Spread(0.8m) + shift);
        var unit = new Unit(d.Code, d.Name, UnitLevel.County, null, cls);
        return new UnitProfile(unit, d.Kind, d.City.Tier, Round(size, 2), Round(drive, 3), Quirks.None);
    }

    private static List<UnitProfile> Towns(CountyDraft county, UnitProfile countyProfile, SplitMix64 rng, PlaceNames names)
    {
        var city = county.City;
        var n = county.TownCount;
        var streets = county.Kind switch
        {
            UnitKind.District => Math.Max(1, (n * (city.Tier == 1 ? 70 : city.Tier == 2 ? 45 : 35) + 50) / 100),
            UnitKind.SpecialArea => Math.Max(1, (n * 40 + 50) / 100),
            // A county seat is usually split into one to three streets.
            _ => Math.Min(rng.Between(1, 3), n - 2),
        };
        var townships = county.Kind == UnitKind.AutonomousCounty
            || (city.SheTownship && county.IsFirstCounty) ? 1 : 0;
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var drafts = new List<TownDraft>();
        for (var i = 0; i < n; i++)
        {
            var kind = i < streets ? UnitKind.Street : i < n - townships ? UnitKind.Town : UnitKind.Township;
            var number = kind switch
            {
                UnitKind.Street => 1 + i,
                UnitKind.Town => 100 + (i - streets),
                _ => 200 + (i - (n - townships)),
            };
            var stem = names.NewTownStem(rng, taken);
            var suffix = kind switch
            {
                UnitKind.Street => "街道",
                UnitKind.Town => "镇",
                _ => county.Kind == UnitKind.AutonomousCounty ? "瑶族乡" : "畲族乡",
            };
            var strength = county.Strength / 2 + kind switch
            {
                UnitKind.Street => city.Tier == 1 ? 25 : 15,
                UnitKind.Township => -15,
                _ => 0,
            } + rng.Below(40);
            drafts.Add(new TownDraft(county.Code + number.ToString("D3", CultureInfo.InvariantCulture), stem + suffix, kind, strength));
        }

        // Tiers: streets apart if the city's scheme has a streets tier; the others by strength.
        var ranked = drafts.Where(t => !(t.Kind == UnitKind.Street && city.Scheme.Streets))
            .OrderByDescending(t => t.Strength).ThenBy(t => t.Code, StringComparer.Ordinal).ToList();
        foreach (var t in drafts)
        {
            var index = ranked.IndexOf(t);
            var position = index < 0 ? 0m : (decimal)index / ranked.Count;
            t.Class = city.Scheme.Classify(t.Kind == UnitKind.Street, index, position, rng.Below(100));
        }
        // One town of the city's first county carries a tier the town ruleset does not list.
        if (city.UnlistedTownClass is not null && county.IsFirstCounty)
            drafts.Last(t => t.Kind == UnitKind.Town).Class = city.UnlistedTownClass;

        return drafts.Select(t => TownProfile(t, city, countyProfile, rng)).ToList();
    }

    private static UnitProfile TownProfile(TownDraft t, CityPlan city, UnitProfile county, SplitMix64 rng)
    {
        var cls = t.Class!;
        // Economic output in 亿元, scaled by how rich the city is.
        var size = cls switch
        {
            TownClasses.Centre => rng.Uniform(30m, 120m),
            TownClasses.Specialised => rng.Uniform(40m, 160m),
            TownClasses.Featured => rng.Uniform(12m, 45m),
            TownClasses.UrbanStreet => rng.Uniform(20m, 120m),
            TownClasses.Supported => rng.Uniform(4m, 14m),
            TownClasses.Consolidating => rng.Uniform(8m, 28m),
            TownClasses.Ordinary => rng.Uniform(8m, 40m),
            _ => rng.Uniform(15m, 40m),
        } * city.Tier switch { 1 => 1.5m, 2 => 1m, _ => 0.7m };
        // A town shares part of its county's drive: well-run counties tend to have well-run towns.
        var drive = Clamp(0.4m * county.Drive + rng.Spread(0.7m));
        var unit = new Unit(t.Code, t.Name, UnitLevel.Town, county.Unit.Code, cls);
        return new UnitProfile(unit, t.Kind, city.Tier, Round(size, 2), Round(drive, 3), Quirks.None);
    }

    // A handful of units per copy get each quirk; the draws come from the layout stream so that the
    // same seed always picks the same units.
    private static void PlantQuirks(List<UnitProfile> counties, List<UnitProfile> towns, SplitMix64 rng)
    {
        var listedCounties = counties.Where(c => c.Class is CountyClasses.Lead or CountyClasses.Advance or CountyClasses.Uplift)
            .Select(c => counties.IndexOf(c)).ToList();
        Plant(counties, listedCounties, rng, Quirks.NoInvestmentTargetQ3, 1);
        Plant(counties, listedCounties, rng, Quirks.LegacyIndicator, 3);
        Plant(counties, listedCounties, rng, Quirks.MajorAccident, 1);
        Plant(counties, listedCounties, rng, Quirks.FarmlandVeto, 1);

        // The new street: the last street of the first district of the first city.
        var firstCounty = counties[0].Unit.Code;
        var newStreet = towns.FindLastIndex(t => t.Unit.Parent == firstCounty && t.IsStreet);
        towns[newStreet] = towns[newStreet] with { Quirks = Quirks.NewStreet };

        var ordinaryTowns = Enumerable.Range(0, towns.Count).Where(i => i != newStreet).ToList();
        Plant(towns, ordinaryTowns, rng, Quirks.NoTaxTargetQ2, 1);
        Plant(towns, ordinaryTowns, rng, Quirks.ZeroCollectiveBaseline, 2);
        Plant(towns, ordinaryTowns, rng, Quirks.UnscoredIndicator, 4);
        Plant(towns, ordinaryTowns, rng, Quirks.MajorAccident, 2);
        Plant(towns, ordinaryTowns, rng, Quirks.EcologyVeto, 2);
    }

    // Gives the quirk to `count` units drawn from the pool, removing them so no unit gets two.
    private static void Plant(List<UnitProfile> units, List<int> pool, SplitMix64 rng, Quirks quirk, int count)
    {
        for (var k = 0; k < count; k++)
        {
            var at = rng.Below(pool.Count);
            var index = pool[at];
            pool.RemoveAt(at);
            units[index] = units[index] with { Quirks = units[index].Quirks | quirk };
        }
    }

    private static decimal Clamp(decimal drive) => Math.Clamp(drive, -1m, 1m);

    private static decimal Round(decimal value, int decimals) => Math.Round(value, decimals, MidpointRounding.AwayFromZero);

    private sealed class CountyDraft(CityPlan city, string code, UnitKind kind, string? fixedClass)
    {
        public CityPlan City { get; } = city;
        public string Code { get; } = code;
        public UnitKind Kind { get; } = kind;
        public string? FixedClass { get; set; } = fixedClass;
        public string Name { get; set; } = "";
        public int Strength { get; set; }
        public int TownCount { get; set; }
        // The city's first county (县), numbered 21.
        public bool IsFirstCounty => Kind == UnitKind.County && Code.EndsWith("21", StringComparison.Ordinal);
    }

    private sealed class TownDraft(string code, string name, UnitKind kind, int strength)
    {
        public string Code { get; } = code;
        public string Name { get; } = name;
        public UnitKind Kind { get; } = kind;
        public int Strength { get; } = strength;
        public string? Class { get; set; }
    }
}
