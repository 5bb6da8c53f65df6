using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Samples.Generation;

namespace BaiQianWan.Assess.Samples;

/// <summary>
/// Generates a synthetic province for the sample rulesets: fictional county-level units and towns
/// with their classes, and four year-to-date quarters of 2025 for every indicator and adjustment of
/// <see cref="SampleRulesets.County"/> and <see cref="SampleRulesets.Town"/>.
/// </summary>
/// <remarks>
/// <para>Cities are not assessed and are not units: counties have no parent, and their city shows
/// only in their code (prefix 98, then the city, then the county: <c>98CCNN</c> at scale 1). Towns
/// have their county as parent and a code of the county's plus three digits (streets 001–099,
/// towns 100–199, ethnic townships 200–299).</para>
/// <para>The data carry deliberate flaws, as real submissions do: about one row in a thousand is
/// missing, a new street reports nothing for Q1 and has no baselines, a target or two is blank,
/// two towns have a zero baseline, a few rows use indicator ids no ruleset knows, two counties and
/// two towns per copy have a class their ruleset does not list, and a few units incur vetoes.</para>
/// <para>All values are decimals with at most two places, drawn with a fixed integer generator:
/// the same options give an identical dataset, units ordered by code, observations by period, unit
/// and indicator (ordinal).</para>
/// </remarks>
public static class ProvinceGenerator
{
    /// <summary>County-level units per copy of the province (scale 1).</summary>
    public const int CountiesPerScale = 122;

    /// <summary>Towns and streets per copy of the province (scale 1).</summary>
    public const int TownsPerScale = 1609;

    /// <summary>Prefecture-level cities per copy of the province (scale 1); they are not units.</summary>
    public const int CitiesPerScale = 21;

    /// <summary>The year of the generated periods.</summary>
    public const int Year = ObservationFactory.Year;

    /// <summary>Generates the province.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The scale is below 1.</exception>
    public static Dataset Generate(ProvinceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Scale, 1, nameof(options));
        var profiles = ProvinceLayout.Build(options);
        var units = profiles.Select(p => p.Unit).ToList().AsReadOnly();
        return new Dataset(units, ObservationFactory.Build(options.Seed, profiles));
    }

    /// <summary>The months of month data: 2025-01 … 2025-09.</summary>
    public const int Months = MonthSeries.Months;

    /// <summary>
    /// The month rows (月通报 data) of the same province: 2025-01 … 2025-09, year to date, for the indicators of the
    /// sample monitors (county-monthly, town-monthly), with plans for one indicator per level, a few lagging counties
    /// and a few units that skip a month. Deterministic from the seed like <see cref="Generate"/>, and independent of it:
    /// the quarterly rows are the same with or without the months.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The scale is below 1.</exception>
    public static IReadOnlyList<Observation> GenerateMonths(ProvinceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Scale, 1, nameof(options));
        return MonthSeries.Build(options.Seed, ProvinceLayout.Build(options));
    }

    /// <summary>The codes of the counties planted to fall behind from March on (for tests and the demo's narrative).</summary>
    public static IReadOnlyList<string> LaggingCounties(ProvinceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ProvinceLayout.Build(options).Where(p => MonthSeries.IsLagging(options.Seed, p)).Select(p => p.Unit.Code).ToList().AsReadOnly();
    }
}
