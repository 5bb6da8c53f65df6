using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Samples.Generation;

/// <summary>
/// Draws every observation row of the province: each unit's indicators and adjustment counts for
/// the four quarters, with the planted gaps, in the order (period, unit, indicator).
/// </summary>
internal static class ObservationFactory
{
    /// <summary>The year the samples report.</summary>
    public const int Year = 2025;

    /// <summary>An id from last year's county ruleset that some counties still report.</summary>
    public const string LegacyIndicator = "fixed_invest";

    /// <summary>An indicator some towns report although no ruleset scores it.</summary>
    public const string UnscoredIndicator = "t_digital_gov";

    // About one row in a thousand is never reported: forgotten, or late for the bulletin.
    private const int DroppedPerThousand = 1;

    /// <summary>All rows for <paramref name="units"/>, which must be ordered by code (ordinal).</summary>
    public static IReadOnlyList<Observation> Build(int seed, IReadOnlyList<UnitProfile> units)
    {
        var periods = Enumerable.Range(1, Series.Quarters).Select(q => Period.OfQuarter(Year, q)).ToArray();
        var byQuarter = Enumerable.Range(0, Series.Quarters).Select(_ => new List<Observation>()).ToArray();
        var unitRows = Enumerable.Range(0, Series.Quarters).Select(_ => new List<Observation>()).ToArray();
        foreach (var unit in units)
        {
            foreach (var rows in unitRows) rows.Clear();
            var (indicators, adjustments) = unit.Unit.Level == UnitLevel.County
                ? (CountySeries.Indicators, CountySeries.Adjustments)
                : (TownSeries.Indicators, TownSeries.Adjustments);
            AddIndicators(seed, unit, indicators, periods, unitRows);
            AddAdjustments(seed, unit, adjustments, periods, unitRows);
            AddUnknown(seed, unit, periods, unitRows);
            for (var q = 0; q < Series.Quarters; q++)
            {
                unitRows[q].Sort((a, b) => string.CompareOrdinal(a.Indicator, b.Indicator));
                byQuarter[q].AddRange(unitRows[q]);
            }
        }
        return byQuarter.SelectMany(rows => rows).ToList().AsReadOnly();
    }

    private static void AddIndicators(int seed, UnitProfile unit, ImmutableArray<IndicatorSeries> indicators, Period[] periods, List<Observation>[] rows)
    {
        var code = unit.Unit.Code;
        foreach (var indicator in indicators)
        {
            var figures = indicator.Draw(unit, SplitMix64.For(seed, code, indicator.Id));
            // Gaps have their own stream so that planting them does not move any drawn value.
            var gaps = SplitMix64.For(seed, code, indicator.Id, "gap");
            for (var q = 1; q <= Series.Quarters; q++)
            {
                var dropped = gaps.Chance(DroppedPerThousand);
                if (figures[q - 1] is not { } f || dropped) continue;
                if (unit.Quirks.HasFlag(Quirks.NewStreet))
                {
                    if (q == 1) continue;
                    f = f with { Baseline = null };
                }
                if (q == 3 && indicator.Id == "fai" && unit.Quirks.HasFlag(Quirks.NoInvestmentTargetQ3)) f = f with { Target = null };
                if (q == 2 && indicator.Id == "t_tax" && unit.Quirks.HasFlag(Quirks.NoTaxTargetQ2)) f = f with { Target = null };
                if (indicator.Id == "t_collective" && unit.Quirks.HasFlag(Quirks.ZeroCollectiveBaseline)) f = f with { Baseline = 0m };
                rows[q - 1].Add(new Observation(code, indicator.Id, periods[q - 1], f.Actual, f.Target, f.Baseline));
            }
        }
    }

    private static void AddAdjustments(int seed, UnitProfile unit, ImmutableArray<IndicatorSeries> adjustments, Period[] periods, List<Observation>[] rows)
    {
        var code = unit.Unit.Code;
        foreach (var adjustment in adjustments)
        {
            var figures = adjustment.Draw(unit, SplitMix64.For(seed, code, adjustment.Id));
            for (var q = 1; q <= Series.Quarters; q++)
                if (figures[q - 1] is { } f && !(q == 1 && unit.Quirks.HasFlag(Quirks.NewStreet)))
                    rows[q - 1].Add(new Observation(code, adjustment.Id, periods[q - 1], f.Actual, null, null));
        }
    }

    private static void AddUnknown(int seed, UnitProfile unit, Period[] periods, List<Observation>[] rows)
    {
        var code = unit.Unit.Code;
        if (unit.Quirks.HasFlag(Quirks.LegacyIndicator))
        {
            // Last year's id for fixed-asset investment, reported in the first half before the office caught it.
            var rng = SplitMix64.For(seed, code, LegacyIndicator);
            for (var q = 1; q <= 2; q++)
                rows[q - 1].Add(new Observation(code, LegacyIndicator, periods[q - 1],
                    Series.Round(unit.Size * 0.3m * q / 4m * rng.Uniform(0.8m, 1.2m), 2), null, null));
        }
        if (unit.Quirks.HasFlag(Quirks.UnscoredIndicator))
        {
            // Digital government platform usage rate (%), collected from Q2 on but not scored.
            var rng = SplitMix64.For(seed, code, UnscoredIndicator);
            for (var q = 2; q <= Series.Quarters; q++)
                rows[q - 1].Add(new Observation(code, UnscoredIndicator, periods[q - 1], Series.Round(rng.Uniform(60m, 99m), 1), null, null));
        }
    }
}
