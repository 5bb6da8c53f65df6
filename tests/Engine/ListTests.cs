namespace BaiQianWan.Assess.Tests.Engine;

public class ListTests
{
    private static string Ruleset(string lists) => Spec.OneIndicator("""
        weight: 100
        core: true
        method: completion
        cap: 1.2
        """, extra: "adjustments:\n  - { id: v, name: 否决, kind: veto }\nlists:\n  " + Spec.Indent(lists, 2));

    // Totals: A 110 (met), B 100 (met), C 95 (missed), D 90 (missed), E 80 (missed).
    private const string Units = "A 创先\nB 创先\nC 创先\nD 创先\nE 创先";
    private const string Data = """
        A,x,2025Q3,110,100,
        B,x,2025Q3,100,100,
        C,x,2025Q3,95,100,
        D,x,2025Q3,90,100,
        E,x,2025Q3,80,100,
        """;

    [Fact]
    public void Red_list_takes_the_top_ranks_that_met_their_targets_without_refilling()
    {
        // top 3 with requireTargetsMet: A and B met; C (rank 3) missed → its place stays empty, D is not pulled up
        var r = Spec.Evaluate(Ruleset("red: { top: 3, requireTargetsMet: true }"), Units, Data);
        Assert.Equal(["A", "B"], r.Units.Where(u => u.Lists.Contains("red")).Select(u => u.Code));
    }

    [Fact]
    public void Black_list_takes_the_bottom_ranks_that_missed_their_targets()
    {
        // bottom 2: ranks > 5 − 2 = 3 → D, E; both missed
        var r = Spec.Evaluate(Ruleset("black: { bottom: 2, requireTargetsMissed: true }"), Units, Data);
        Assert.Equal(["D", "E"], r.Units.Where(u => u.Lists.Contains("black")).Select(u => u.Code));
    }

    [Fact]
    public void A_vetoed_unit_cannot_be_on_the_red_list()
    {
        var r = Spec.Evaluate(Ruleset("red: { top: 2 }"), Units, Data + "\nA,v,2025Q3,1,,");
        Assert.Equal(["B"], r.Units.Where(u => u.Lists.Contains("red")).Select(u => u.Code));
        Assert.Equal("一般", r.Unit("A").Grade); // veto without grade: the last level
    }

    [Fact]
    public void Without_requirements_a_unit_can_be_on_both_lists_in_a_small_class()
    {
        var r = Spec.Evaluate(Ruleset("red: { top: 1 }\nblack: { bottom: 1 }"), "A 创先", "A,x,2025Q3,110,100,");
        Assert.Equal(["red", "black"], r.Unit("A").Lists.ToArray());
    }

    [Fact]
    public void Targets_met_ignores_core_indicators_the_class_does_not_carry()
    {
        // y is core but only for 进位; a 创先 unit meeting x is "targets met"
        var yaml = Spec.OneIndicator("weight: 100\ncore: true\nmethod: completion", extra: """
              - id: y
                name: 另一指标
                weight: { 进位: 10 }
                core: true
                method: completion
        lists:
          red: { top: 1, requireTargetsMet: true }
        """);
        var r = Spec.Evaluate(yaml, "A 创先", "A,x,2025Q3,100,100,");
        Assert.True(r.Unit("A").TargetsMet);
        Assert.Equal(["red"], r.Unit("A").Lists.ToArray());
        Assert.DoesNotContain(r.Unit("A").Indicators, i => i.Id == "y");
    }
}
