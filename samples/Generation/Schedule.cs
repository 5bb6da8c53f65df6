namespace BaiQianWan.Assess.Samples.Generation;

/// <summary>
/// The cumulative share of a year's amount reached by the end of Q1, Q2 and Q3 (Q4 is the whole
/// year): the 时序进度 offices set targets by. Investment starts slowly after the Spring Festival,
/// GDP and incomes build up nearly evenly.
/// </summary>
internal readonly record struct Schedule(decimal Q1, decimal Q2, decimal Q3)
{
    /// <summary>The share reached by the end of <paramref name="quarter"/> (1–4).</summary>
    public decimal Share(int quarter) => quarter switch
    {
        1 => Q1,
        2 => Q2,
        3 => Q3,
        _ => 1m,
    };
}
