using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Tests;

public class PeriodTests
{
    [Theory]
    [InlineData("2025Q3", 2025, 3)]
    [InlineData("2025", 2025, 0)]
    public void Parses_quarter_and_year(string text, int year, int quarter)
    {
        var p = Period.Parse(text);
        Assert.Equal(year, p.Year);
        Assert.Equal(quarter, p.Quarter);
        Assert.Equal(text, p.ToString());
    }

    [Theory]
    [InlineData("2025Q5")]
    [InlineData("25Q1")]
    [InlineData("2025q1")]
    [InlineData("")]
    public void Rejects_bad_periods(string text) => Assert.False(Period.TryParse(text, out _));
}
