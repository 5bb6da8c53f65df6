namespace BaiQianWan.Assess.Tests.Engine;

/// <summary>Explanations read as a county official would check them: no doubled signs, no 28-digit quotients.</summary>
public class ExplanationTextTests
{
    [Fact]
    public void Efficacy_on_growth_wraps_a_negative_worst_in_parentheses()
    {
        // growth: A (110 − 100)/100 = 10%, B (95 − 100)/100 = −5%, C 20%; floor 0.6, w 10:
        // A → 10 × (0.6 + 0.4 × (10 − (−5)) / (20 − (−5))) = 10 × (0.6 + 0.4 × 0.6) = 8.4
        var yaml = Spec.OneIndicator("weight: 10\nmethod: efficacy\nmetric: growth");
        var r = Spec.Evaluate(yaml, "A 创先\nB 创先\nC 创先", "A,x,2025Q3,110,,100\nB,x,2025Q3,95,,100\nC,x,2025Q3,120,,100");
        Assert.Equal(8.4m, r.Indicator("A").Score);
        var text = r.Indicator("A").Explain;
        Assert.Contains("同类最差 -5.00%、最好 20.00%", text);
        Assert.Contains("（10.00% − (-5.00%)）/（20.00% − (-5.00%)）", text);
        Assert.DoesNotContain("− -", text);
        Assert.EndsWith("= 8.40", text);
    }

    [Fact]
    public void Increment_on_a_non_terminating_growth_shows_two_places_not_28_digits()
    {
        // growth (100 − 30)/30 × 100 = 233.333…%; target 230 → d = 3.333… → 10 × 0.8 + 0.1 × 3.333… = 8.333… → 8.33
        var yaml = Spec.OneIndicator("weight: 10\nmethod: increment\nper: 0.1\ncap: 1.2");
        var r = Spec.Evaluate(yaml, "A 创先", "A,x,2025Q3,100,230,30");
        Assert.Equal(8.33m, r.Indicator("A").Score);
        var text = r.Indicator("A").Explain;
        Assert.Contains("优于目标 3.33 个百分点", text);
        Assert.Contains("权重 10 × 0.8 + 0.1 × 3.33 = 8.33", text);
        Assert.DoesNotMatch(@"\d\.\d{5,}", text);
    }

    [Fact]
    public void Increment_below_target_shows_the_negative_difference_in_parentheses()
    {
        // growth 2%; target 6 → d = −4 → 8 + 0.5 × (−4) = 6
        var yaml = Spec.OneIndicator("weight: 10\nmethod: increment\nper: 0.5");
        var r = Spec.Evaluate(yaml, "A 创先", "A,x,2025Q3,102,6,100");
        Assert.Equal(6m, r.Indicator("A").Score);
        Assert.Contains("差于目标 4.00 个百分点：权重 10 × 0.8 + 0.5 × (-4.00) = 6.00", r.Indicator("A").Explain);
    }

    [Fact]
    public void Formula_results_that_do_not_terminate_are_shown_to_four_places()
    {
        // 10 / 3 = 3.333… → shown 3.3333; score round(3.333…, 2) = 3.33
        var yaml = Spec.OneIndicator("weight: 10\nmethod: formula\nformula: \"actual / 3\"");
        var r = Spec.Evaluate(yaml, "A 创先", "A,x,2025Q3,10,,");
        Assert.Equal(3.33m, r.Indicator("A").Score);
        Assert.Contains("结果 3.3333 = 3.33", r.Indicator("A").Explain);
    }

    [Fact]
    public void A_percent_unit_is_written_close_to_its_number()
    {
        // bands on value: 92.69 % falls in the ≥ 90 band → 10 × 0.8 = 8
        var yaml = Spec.OneIndicator("weight: 10\nunit: \"%\"\nmethod: bands\nmetric: value\nbands: [{ min: 95, score: 1 }, { min: 90, score: 0.8 }]");
        var r = Spec.Evaluate(yaml, "A 创先", "A,x,2025Q3,92.69,,");
        Assert.Equal(8m, r.Indicator("A").Score);
        Assert.StartsWith("实际值 92.69%，", r.Indicator("A").Explain);
    }
}
