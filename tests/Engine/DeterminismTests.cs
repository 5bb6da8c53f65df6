using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Tests.Engine;

public class DeterminismTests
{
    private static readonly string Ruleset = Spec.OneIndicator("weight: 10\nmethod: rank", extra: """
        adjustments:
          - { id: b, name: 加分, kind: bonus, per: 1 }
        lists:
          red: { top: 1 }
        """);

    private const string Units = "A 创先\nB 创先\nC 进位";
    private const string Data = "A,x,2025Q3,3,,\nB,x,2025Q3,5,,\nC,x,2025Q3,1,,\nA,b,2025Q3,1,,";

    [Fact]
    public void The_same_inputs_give_the_same_bytes()
    {
        var first = ResultsJson.Serialize(Spec.Evaluate(Ruleset, Units, Data));
        var second = ResultsJson.Serialize(Spec.Evaluate(Ruleset, Units, Data));
        Assert.Equal(first, second);
    }

    [Fact]
    public void Row_order_of_the_inputs_does_not_change_the_bytes()
    {
        var reversedData = string.Join("\n", Data.Split('\n').Reverse());
        var reversedUnits = string.Join("\n", Units.Split('\n').Reverse());
        Assert.Equal(
            ResultsJson.Serialize(Spec.Evaluate(Ruleset, Units, Data)),
            ResultsJson.Serialize(Spec.Evaluate(Ruleset, reversedUnits, reversedData)));
    }

    [Fact]
    public void Results_json_has_the_contract_fields_in_order_and_reads_back_to_the_same_bytes()
    {
        var bytes = ResultsJson.Serialize(Spec.Evaluate(Ruleset, Units, Data));
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        string[] order = ["\"period\": \"2025Q3\"", "\"ruleset\"", "\"data\"", "\"units\"", "\"skipped\"", "\"unknownIndicators\""];
        var positions = order.Select(f => text.IndexOf(f, StringComparison.Ordinal)).ToArray();
        Assert.All(positions, p => Assert.True(p >= 0));
        Assert.Equal(positions.Order(), positions);
        Assert.Contains("\"version\": null", text);
        Assert.Contains("\"class\": \"创先\"", text); // Chinese is not escaped
        var back = ResultsJson.Serialize(ResultsJson.Read(bytes));
        Assert.Equal(bytes, back);
    }

    [Fact]
    public void Data_hash_depends_on_the_figures_not_on_their_formatting()
    {
        var a = Spec.Evaluate(Ruleset, Units, Data);
        var b = Spec.Evaluate(Ruleset, Units, Data.Replace("A,x,2025Q3,3,,", "A,x,2025Q3,3.00,,"));
        var c = Spec.Evaluate(Ruleset, Units, Data.Replace("A,x,2025Q3,3,,", "A,x,2025Q3,4,,"));
        Assert.Equal(a.DataSha256, b.DataSha256);
        Assert.NotEqual(a.DataSha256, c.DataSha256);
        Assert.Matches("^[0-9a-f]{64}$", a.DataSha256);
    }
}
