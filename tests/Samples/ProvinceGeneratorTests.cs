using System.Text.RegularExpressions;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Samples;

namespace BaiQianWan.Assess.Tests.Samples;

[Trait("Cost", "Slow")]
public sealed partial class ProvinceGeneratorTests(ProvinceFixture fixture) : IClassFixture<ProvinceFixture>
{
    private Dataset Province => fixture.Province;

    private IEnumerable<Unit> Counties => Province.Units.Where(u => u.Level == UnitLevel.County);

    private IEnumerable<Unit> Towns => Province.Units.Where(u => u.Level == UnitLevel.Town);

    [Fact]
    public void Scale_1_has_the_province_s_122_county_level_units_and_1609_towns()
    {
        Assert.Equal(122, Counties.Count());
        Assert.Equal(1609, Towns.Count());
        Assert.DoesNotContain(Province.Units, u => u.Level == UnitLevel.Village);
    }

    [Fact]
    public void Scale_10_has_ten_times_the_units_with_unique_codes()
    {
        var big = ProvinceGenerator.Generate(new ProvinceOptions(Scale: 10));

        Assert.Equal(1220, big.Units.Count(u => u.Level == UnitLevel.County));
        Assert.Equal(16090, big.Units.Count(u => u.Level == UnitLevel.Town));
        Assert.Equal(big.Units.Count, big.Units.Select(u => u.Code).Distinct(StringComparer.Ordinal).Count());
        // 210 cities: the city part of the code takes three digits.
        Assert.All(big.Units.Where(u => u.Level == UnitLevel.County), u => Assert.Matches("^98[0-9]{5}$", u.Code));
    }

    [Fact]
    public void Scale_below_1_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ProvinceGenerator.Generate(new ProvinceOptions(Scale: 0)));

    [Fact]
    public void The_21_cities_show_in_the_county_codes_not_as_units()
    {
        // County code 98CCNN: CC is the city. Cities are not rows, so counties have no parent.
        var cities = Counties.Select(u => u.Code[..4]).Distinct().Count();

        Assert.Equal(ProvinceGenerator.CitiesPerScale, cities);
        Assert.All(Counties, u => Assert.Null(u.Parent));
    }

    [Fact]
    public void County_classes_are_30_lead_59_advance_31_uplift_and_two_the_ruleset_does_not_list()
    {
        var byClass = Counties.GroupBy(u => u.Class).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(30, byClass["创先"]);
        Assert.Equal(59, byClass["进位"]);
        Assert.Equal(31, byClass["消薄"]);
        Assert.Equal(2, Counties.Count(u => !fixture.County.Classes.Contains(u.Class)));
    }

    [Fact]
    public void Towns_use_every_class_of_the_town_ruleset_and_two_towns_one_it_does_not_list()
    {
        var classes = Towns.Select(u => u.Class).ToHashSet();

        Assert.All(fixture.Town.Classes, c => Assert.Contains(c, classes));
        Assert.InRange(Towns.Count(u => !fixture.Town.Classes.Contains(u.Class)), 1, 2);
    }

    [Fact]
    public void Each_city_classes_its_towns_with_its_own_subset_of_tiers()
    {
        var schemes = Towns.Where(u => fixture.Town.Classes.Contains(u.Class))
            .GroupBy(u => u.Code[..4])
            .Select(city => string.Join(",", city.Select(u => u.Class).Distinct().Order(StringComparer.Ordinal)))
            .Distinct()
            .ToList();

        Assert.True(schemes.Count > 1);
        Assert.All(schemes, s => Assert.True(s.Split(',').Length < fixture.Town.Classes.Count, s));
    }

    [Fact]
    public void Codes_are_unique_digits_with_towns_nested_under_their_county()
    {
        Assert.Equal(Province.Units.Count, fixture.UnitsByCode.Count);
        Assert.All(Counties, u => Assert.Matches("^98[0-9]{4}$", u.Code));
        Assert.All(Towns, u =>
        {
            Assert.NotNull(u.Parent);
            Assert.Equal(UnitLevel.County, fixture.UnitsByCode[u.Parent].Level);
            Assert.Matches("^" + u.Parent + "[0-9]{3}$", u.Code);
        });
    }

    [Fact]
    public void Units_are_ordered_by_code()
    {
        var codes = Province.Units.Select(u => u.Code).ToList();

        Assert.Equal(codes.Order(StringComparer.Ordinal), codes);
    }

    [Fact]
    public void Names_are_chinese_with_level_suffixes_and_some_rare_characters()
    {
        Assert.All(Counties, u => Assert.Matches("(区|县|市)$", u.Name));
        Assert.All(Towns, u => Assert.Matches("(镇|街道|乡)$", u.Name));
        Assert.Equal(Counties.Count(), Counties.Select(u => u.Name).Distinct().Count());
        Assert.Contains(Province.Units, u => u.Name.AsSpan().IndexOfAny("滘漖氹涌燊㙟塱埗") >= 0);
        Assert.Contains(Towns, u => u.Name.Contains('畲', StringComparison.Ordinal));
        Assert.Contains(Province.Units, u => u.Name.Contains('㙟', StringComparison.Ordinal));
    }

    [Fact]
    public void Observations_cover_the_four_year_to_date_quarters_of_2025()
    {
        var periods = Province.Observations.Select(o => o.Period.ToString()).Distinct().Order(StringComparer.Ordinal);

        Assert.Equal(["2025Q1", "2025Q2", "2025Q3", "2025Q4"], periods);
    }

    [Fact]
    public void Observations_are_ordered_by_period_unit_and_indicator_without_duplicates()
    {
        var rows = Province.Observations;
        for (var i = 1; i < rows.Count; i++)
        {
            var (a, b) = (rows[i - 1], rows[i]);
            var order = a.Period.CompareTo(b.Period);
            if (order == 0) order = string.CompareOrdinal(a.Unit, b.Unit);
            if (order == 0) order = string.CompareOrdinal(a.Indicator, b.Indicator);
            Assert.True(order < 0, $"row {i}: {a} then {b}");
        }
    }

    [Fact]
    public void Observations_refer_to_generated_units()
    {
        Assert.All(Province.Observations, o => Assert.True(fixture.UnitsByCode.ContainsKey(o.Unit), o.Unit));
    }

    [Fact]
    public void Values_have_at_most_two_decimal_places()
    {
        static bool TwoPlaces(decimal? d) => d is not { } v || decimal.Round(v, 2) == v;

        Assert.All(Province.Observations, o => Assert.True(TwoPlaces(o.Actual) && TwoPlaces(o.Target) && TwoPlaces(o.Baseline), o.ToString()));
    }

    [Fact]
    public void Year_to_date_amounts_never_fall_from_one_quarter_to_the_next()
    {
        // Investment is cumulative: each county's Q1 ≤ Q2 ≤ Q3 ≤ Q4, and so is its target.
        foreach (var unit in Province.Observations.Where(o => o.Indicator == "fai").GroupBy(o => o.Unit))
        {
            var quarters = unit.OrderBy(o => o.Period).ToList();
            for (var i = 1; i < quarters.Count; i++)
                Assert.True(quarters[i - 1].Actual <= quarters[i].Actual, unit.Key);
        }
    }

    [Fact]
    public void Stronger_classes_report_bigger_economies()
    {
        decimal MedianGdp(string cls)
        {
            var values = Province.Observations
                .Where(o => o.Indicator == "gdp" && o.Period.Quarter == 4 && fixture.UnitsByCode[o.Unit].Class == cls)
                .Select(o => o.Actual).Order().ToList();
            return values[values.Count / 2];
        }

        Assert.True(MedianGdp("创先") > MedianGdp("进位"));
        Assert.True(MedianGdp("进位") > MedianGdp("消薄"));
    }

    [Fact]
    public void The_same_seed_gives_the_same_dataset()
    {
        var again = ProvinceGenerator.Generate(new ProvinceOptions());

        Assert.Equal(Province.Units, again.Units);
        Assert.Equal(Province.Observations, again.Observations);
    }

    [Fact]
    public void Another_seed_gives_other_names_and_figures()
    {
        var other = ProvinceGenerator.Generate(new ProvinceOptions(Seed: 7));

        Assert.NotEqual(Province.Units.Select(u => u.Name), other.Units.Select(u => u.Name));
        Assert.NotEqual(Province.Observations, other.Observations);
    }

    [Fact]
    public void Some_units_carry_adjustments_and_vetoes_but_only_a_minority()
    {
        var adjustmentIds = fixture.County.AdjustmentIds.Concat(fixture.Town.AdjustmentIds).ToHashSet();
        var withAdjustments = Province.Observations.Where(o => adjustmentIds.Contains(o.Indicator)).Select(o => o.Unit).Distinct().Count();

        Assert.InRange(withAdjustments, 1, Province.Units.Count / 2);
        Assert.Contains(Province.Observations, o => o.Indicator == "safety_major");
        // The county veto with a condition: more than 30 mu of farmland occupied.
        Assert.Contains(Province.Observations, o => o.Indicator == "farmland_violation" && o.Actual > 30);
        Assert.Contains(Province.Observations, o => o.Indicator == "farmland_violation" && o.Actual <= 30);
    }

    [GeneratedRegex("^[0-9]{1,32}$")]
    private static partial Regex CodePattern();

    [Fact]
    public void Codes_match_the_contract_s_pattern() =>
        Assert.All(Province.Units, u => Assert.Matches(CodePattern(), u.Code));
}
