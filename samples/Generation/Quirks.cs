namespace BaiQianWan.Assess.Samples.Generation;

/// <summary>
/// Deliberate flaws and events planted in a few units so that every path of an evaluation gets
/// exercised: missing data, undefined growth, unknown indicators, vetoes.
/// </summary>
[Flags]
internal enum Quirks
{
    None = 0,
    /// <summary>A street set up in April: nothing reported for Q1 and no baseline (it did not exist last year).</summary>
    NewStreet = 1 << 0,
    /// <summary>The county's fixed-asset investment target was not entered for Q3.</summary>
    NoInvestmentTargetQ3 = 1 << 1,
    /// <summary>The town's tax growth target was not entered for Q2.</summary>
    NoTaxTargetQ2 = 1 << 2,
    /// <summary>The town's village collectives earned nothing last year: baseline 0, so growth is undefined.</summary>
    ZeroCollectiveBaseline = 1 << 3,
    /// <summary>The county still reports an indicator id of last year's ruleset.</summary>
    LegacyIndicator = 1 << 4,
    /// <summary>The town reports an indicator the office collects but does not score.</summary>
    UnscoredIndicator = 1 << 5,
    /// <summary>A major safety accident: veto without a condition.</summary>
    MajorAccident = 1 << 6,
    /// <summary>Farmland occupied illegally beyond the county veto threshold of 30 mu.</summary>
    FarmlandVeto = 1 << 7,
    /// <summary>Two or more flagged pollution cases: the town veto's condition holds.</summary>
    EcologyVeto = 1 << 8,
}
