using BaiQianWan.Assess.Rules.Monitors;

namespace BaiQianWan.Assess.Tests.Monitors;

/// <summary>No monitor text crashes the loader: every cut and mutation of the sample gives a model or coded, positioned errors.</summary>
public class MonitorHostileTests
{
    private static readonly string Sample = File.ReadAllText(Functions.Repository.Path("samples", "rulesets", "county-monthly.yaml"));

    private static void Check(string yaml, string what)
    {
        MonitorLoadResult result;
        try
        {
            result = MonitorLoader.Load(yaml);
        }
        catch (Exception e)
        {
            Assert.Fail($"{what}: the loader threw {e.GetType().Name}: {e.Message}");
            return;
        }
        Assert.True(result.IsValid || !result.Diagnostics.IsEmpty, what);
        foreach (var d in result.Diagnostics)
        {
            Assert.False(string.IsNullOrEmpty(d.Code), $"{what}: uncoded {d}");
            Assert.True(d.Position.Line >= 1 && d.Position.Column >= 1, $"{what}: unpositioned {d}");
        }
        if (result.IsValid) Assert.NotEmpty(CompiledMonitor.Compile(result.Monitor!, result.Sha256).RuleNames);
    }

    [Fact]
    public void Every_cut_of_the_sample_loads_or_is_rejected_with_coded_positioned_errors()
    {
        for (var at = 0; at < Sample.Length; at += 5) Check(Sample[..at], $"cut at {at}");
    }

    [Fact]
    public void Mutated_lines_load_or_are_rejected_with_coded_positioned_errors()
    {
        var lines = Sample.Split('\n');
        string[] swaps = ["", "  - ", "when: \"gap <\"", "months: -3", "curve: [1, 2]", "kind: ruleset", "{ id: red }", "[", "decimals: 1e3", "pace: curve", "&a x", "*a"];
        var rng = new Random(23);
        for (var i = 0; i < 400; i++)
        {
            var copy = (string[])lines.Clone();
            var line = rng.Next(copy.Length);
            var indent = copy[line].Length - copy[line].TrimStart().Length;
            copy[line] = new string(' ', indent) + swaps[rng.Next(swaps.Length)];
            Check(string.Join('\n', copy), $"mutation {i} at line {line + 1}");
        }
    }
}
