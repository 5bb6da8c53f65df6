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
    [InlineData("2025-01", 2025, 1, "2025年1月", 31)]
    [InlineData("2025-06", 2025, 6, "2025年1–6月", 30)]
    [InlineData("2024-02", 2024, 2, "2024年1–2月", 29)]
    [InlineData("2025-12", 2025, 12, "2025年1–12月", 31)]
    public void Parses_months(string text, int year, int month, string chinese, int lastDay)
    {
        var p = Period.Parse(text);
        Assert.Equal((year, month, 0), (p.Year, p.Month, p.Quarter));
        Assert.True(p.IsMonth);
        Assert.False(p.IsWholeYear);
        Assert.False(p.IsQuarter);
        Assert.Equal(text, p.ToString());
        Assert.Equal(chinese, p.ToChinese());
        Assert.Equal(new DateOnly(year, month, lastDay), p.EndDate);
        Assert.Equal(p, Period.OfMonth(year, month));
    }

    [Fact]
    public void End_dates_previous_and_last_year()
    {
        Assert.Equal(new DateOnly(2025, 6, 30), Period.Parse("2025Q2").EndDate);
        Assert.Equal(new DateOnly(2025, 12, 31), Period.Parse("2025").EndDate);
        Assert.Equal("2024-12", Period.Parse("2025-01").Previous().ToString());
        Assert.Equal("2025-05", Period.Parse("2025-06").Previous().ToString());
        Assert.Equal("2024Q4", Period.Parse("2025Q1").Previous().ToString());
        Assert.Equal("2024", Period.Parse("2025").Previous().ToString());
        Assert.Equal("2024-06", Period.Parse("2025-06").SameLastYear().ToString());
        Assert.Equal("2024Q2", Period.Parse("2025Q2").SameLastYear().ToString());
    }

    [Fact]
    public void Orders_by_year_then_end_month_then_kind()
    {
        var sorted = new[] { "2025", "2025Q1", "2025-03", "2025-12", "2024", "2025-01", "2025Q4", "2025-04" }
            .Select(Period.Parse).Order().Select(p => p.ToString());
        Assert.Equal(["2024", "2025-01", "2025-03", "2025Q1", "2025-04", "2025-12", "2025Q4", "2025"], sorted);
    }

    [Theory]
    [InlineData("2025-13")]
    [InlineData("2025-00")]
    [InlineData("2025-6")]
    [InlineData("2025-1a")]
    [InlineData("2025/06")]
    [InlineData("2025Q5")]
    [InlineData("25Q1")]
    [InlineData("2025q1")]
    [InlineData("")]
    public void Rejects_bad_periods(string text) => Assert.False(Period.TryParse(text, out _));
}
