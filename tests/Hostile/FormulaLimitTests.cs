using System.Text;
using BaiQianWan.Assess.Cli;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Loading;

namespace BaiQianWan.Assess.Tests.Hostile;

/// <summary>
/// Issue 19 item 1: a formula <c>MIN(1,1,…)</c> of 100,000 arguments (a 210 KB ruleset) overflowed the stack in the
/// expression-tree compilation, and the process died: <c>cli validate</c> exited 134, the API and the portal went
/// down. Here the loader and the CLI in this process, on formulas whose refusal cannot crash; the reproduction in
/// child processes is <see cref="FormulaCrashTests"/>.
/// </summary>
public sealed class FormulaLimitTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-formula-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A valid ruleset but for <paramref name="formula"/>, whose text starts at line 13, column 19.</summary>
    internal static string Ruleset(string formula) => RulesetYaml.County("c").Class("创先")
        .Indicator("x", "指标", $"weight: 10\nmethod: formula\nformula: \"{formula}\"").Build() + "\n";

    internal static readonly string Crash = "MIN(" + string.Join(",", Enumerable.Repeat("1", 100_000)) + ")";

    internal const string TooLong = "公式错误：公式太长（200004 个字符，最多 4096 个）";

    [Fact]
    public void The_100000_argument_ruleset_is_refused_by_the_loader_at_the_formula()
    {
        var yaml = Ruleset(Crash);
        Assert.InRange(yaml.Length, 200_000, 210_000);
        var d = Assert.Single(RulesetLoader.Load(yaml).Diagnostics);
        Assert.Equal("13:19: RS2030: " + TooLong, d.ToString());
    }

    [Theory]
    [InlineData("MIN(", "1,", "1)")]
    [InlineData("", "(", "1")]
    [InlineData("", "-", "1")]
    [InlineData("1", "+1", "")]
    [InlineData("", "9", "")]
    [InlineData("", "a", "")]
    public void A_formula_as_large_as_the_request_limit_allows_is_refused_by_its_length(string head, string unit, string tail)
    {
        // The API and the portal take 1 MiB of ruleset (and the loader no more): fill it with one formula.
        var room = RulesetLimits.MaxCharacters - Ruleset("").Length - head.Length - tail.Length - 16;
        var formula = head + string.Concat(Enumerable.Repeat(unit, room / unit.Length)) + tail;
        var yaml = Ruleset(formula);
        Assert.InRange(yaml.Length, RulesetLimits.MaxCharacters - 32, RulesetLimits.MaxCharacters);
        var d = Assert.Single(RulesetLoader.Load(yaml).Diagnostics);
        Assert.Equal($"13:19: RS2030: 公式错误：公式太长（{formula.Length} 个字符，最多 4096 个）", d.ToString());
    }

    [Fact]
    public void Cli_validate_of_formulas_at_every_limit_says_OK_and_one_past_each_gives_its_position()
    {
        // The worst formula within every limit, through the loader and NRules (the CLI compiles the rules too).
        var atLimits = Path.Combine(_dir, "limits.yaml");
        File.WriteAllText(atLimits, Ruleset(AtEveryLimit), new UTF8Encoding(false));
        var (code, stdout, stderr) = RunCliInProcess("validate", atLimits);
        Assert.Equal((0, ""), (code, stderr));
        // Valid: OK last, after nothing but warnings (this test ruleset is not on a 100-point scale: RS9001, issue 22 item 10).
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("OK", lines[^1]);
        Assert.All(lines[..^1], l => Assert.Contains(": warning: RS9001: ", l));

        var past = Path.Combine(_dir, "past.yaml");
        File.WriteAllText(past, Ruleset("MIN(" + string.Join(",", Enumerable.Repeat("1", 65)) + ")"), new UTF8Encoding(false));
        // The 65th argument starts 4 + 128 characters into the formula: column 19 + 132.
        Assert.Equal((1, $"{past}:13:151: RS2033: 公式错误：函数 MIN 的参数太多（最多 64 个）\n", ""), RunCliInProcess("validate", past));
    }

    /// <summary>
    /// AND nested 60 deep around a MIN of 64 arguments (depth 62), then chained with 2 more terms: 64 levels, with a
    /// call at the argument limit. AND makes the tallest expression tree of any construct (four levels per level).
    /// </summary>
    private static readonly string AtEveryLimit =
        string.Concat(Enumerable.Repeat("AND(", 60)) + "MIN(" + string.Join(",", Enumerable.Repeat("actual", 64)) + ")" + new string(')', 60) + "+1+1";

    [Fact]
    public void The_formula_at_every_limit_compiles_into_rules_NRules_accepts()
    {
        Assert.Equal(64, FormulaLimits.MaxDepth);
        var loaded = RulesetLoader.Load(Ruleset(AtEveryLimit));
        Assert.True(loaded.IsValid, string.Join("; ", loaded.Diagnostics));
        Assert.NotNull(CompiledRuleset.Compile(loaded.Ruleset!, loaded.Sha256));
        // One more term is one level too deep, refused at that '+' (column 19 + its offset).
        var deeper = AtEveryLimit + "+1";
        var d = Assert.Single(RulesetLoader.Load(Ruleset(deeper)).Diagnostics);
        Assert.Equal($"13:{19 + deeper.Length - 2}: RS2031: 公式错误：公式嵌套太深（超过 64 层）", d.ToString());
    }

    private static (int Exit, string Stdout, string Stderr) RunCliInProcess(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), stderr.ToString());
    }
}
