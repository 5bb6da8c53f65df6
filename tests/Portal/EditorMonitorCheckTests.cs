using BaiQianWan.Assess.Portal.Building;
using BaiQianWan.Assess.Samples;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// The editor's check holds either kind of text: a monitor (<c>kind: monitor</c>) is checked by the monitor's loader, so
/// the sample monitor is clean (the ruleset loader would refuse its <c>kind</c> and <c>indicators</c> at the top) and a
/// monitor's own mistake is reported at its line.
/// </summary>
public sealed class EditorMonitorCheckTests
{
    [Fact]
    public void The_sample_monitors_check_clean_in_the_editor()
    {
        foreach (var yaml in new[] { SampleRulesets.CountyMonthly, SampleRulesets.TownMonthly })
        {
            var (errors, warnings) = PortalPages.Check(yaml);
            Assert.Empty(errors);
            Assert.Empty(warnings);
            Assert.Empty(PortalPages.Validate(yaml));
        }
    }

    [Fact]
    public void A_monitors_mistake_is_reported_at_its_line_by_the_monitors_rules()
    {
        // Line 18 of the county sample is `    pace: linear`; an unknown pace is the monitor's error there, and the only one.
        var lines = SampleRulesets.CountyMonthly.Split('\n');
        Assert.Equal("    pace: linear", lines[17].TrimEnd('\r'));
        lines[17] = "    pace: weekly";
        var (errors, warnings) = PortalPages.Check(string.Join('\n', lines));

        var error = Assert.Single(errors);
        Assert.Equal((PortalPages.EditorFileName, 18), (error.File, error.Row));
        Assert.Contains("weekly", error.Message);
        Assert.Empty(warnings);
    }
}
