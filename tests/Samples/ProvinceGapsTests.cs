using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Tests.Samples;

/// <summary>The planted flaws: present, so evaluations meet them, and rare, so results stay meaningful.</summary>
public sealed class ProvinceGapsTests(ProvinceFixture fixture) : IClassFixture<ProvinceFixture>
{
    private IReadOnlyList<Observation> Rows => fixture.Province.Observations;

    private int MissingRows()
    {
        // Every unit should report every indicator of its level's ruleset in every quarter.
        var present = Rows.Select(o => (o.Unit, o.Indicator, o.Period)).ToHashSet();
        var missing = 0;
        foreach (var unit in fixture.Province.Units)
            foreach (var indicator in fixture.RulesetFor(unit.Level).Indicators)
                for (var q = 1; q <= 4; q++)
                    if (!present.Contains((unit.Code, indicator.Id, Period.OfQuarter(2025, q))))
                        missing++;
        return missing;
    }

    private IEnumerable<(Observation Row, IndicatorOutline Indicator)> IndicatorRows()
    {
        var indicators = fixture.County.Indicators.Concat(fixture.Town.Indicators).ToDictionary(i => i.Id);
        return Rows.Where(o => indicators.ContainsKey(o.Indicator)).Select(o => (o, indicators[o.Indicator]));
    }

    private int RowsWithoutTarget() => IndicatorRows().Count(r => r.Row.Target is null);

    private int GrowthRowsWithoutUsableBaseline() =>
        IndicatorRows().Count(r => r.Indicator.NeedsBaseline && r.Row.Baseline is null or 0m);

    private int UnknownRows()
    {
        var known = fixture.County.AllIds.Concat(fixture.Town.AllIds).ToHashSet();
        return Rows.Count(o => !known.Contains(o.Indicator));
    }

    [Fact]
    public void Some_observations_are_missing() => Assert.True(MissingRows() > 0);

    [Fact]
    public void Some_targets_are_blank() => Assert.True(RowsWithoutTarget() > 0);

    [Fact]
    public void Some_growth_rows_have_a_zero_baseline() =>
        Assert.Contains(IndicatorRows(), r => r.Indicator.NeedsBaseline && r.Row.Baseline == 0m);

    [Fact]
    public void Some_rows_name_an_indicator_no_sample_ruleset_knows()
    {
        var known = fixture.County.AllIds.Concat(fixture.Town.AllIds).ToHashSet();
        var unknown = Rows.Select(o => o.Indicator).Where(id => !known.Contains(id)).Distinct().Order(StringComparer.Ordinal);

        Assert.Equal(["fixed_invest", "t_digital_gov"], unknown);
    }

    [Fact]
    public void A_new_street_reports_nothing_for_the_first_quarter_but_is_a_unit()
    {
        var q1 = Rows.Where(o => o.Period.Quarter == 1).Select(o => o.Unit).ToHashSet();

        Assert.Contains(fixture.Province.Units, u => u.Level == UnitLevel.Town && !q1.Contains(u.Code));
    }

    [Fact]
    public void All_gaps_together_are_under_one_percent_of_the_rows()
    {
        var gaps = MissingRows() + RowsWithoutTarget() + GrowthRowsWithoutUsableBaseline() + UnknownRows();

        Assert.True(gaps * 100 < Rows.Count, $"{gaps} gaps in {Rows.Count} rows");
    }
}
