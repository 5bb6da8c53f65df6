using System.Globalization;
using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Tests.Formulas.Closures;
using FsCheck;
using FsCheck.Fluent;

namespace BaiQianWan.Assess.Tests.Hostile;

/// <summary>
/// Issue 19 item 1: formulas of extreme width (calls of up to 100,000 arguments, chains of 100,000 terms, literals
/// of 100,000 characters) and depth (100,000 parentheses, signs, calls), alone and combined, from FsCheck generators
/// sampled with a fixed seed (the same inputs on every run). Compiling one (closures and the NRules expression
/// tree) gives a formula or positioned diagnostics, never an exception; a compiled one evaluates or fails with its
/// reason. Sizes cluster at the limits (63, 64, 65, 999, 1000, 1001, 4095, 4096, 4097) and far past them.
/// </summary>
[Trait("Cost", "Slow")]
public sealed class FormulaFuzzTests
{
    private const ulong Seed = 20261207;
    private const ulong Gamma = 0x9E3779B97F4A7C15; // SplitMix's odd increment

    private static readonly Gen<int> Size = Gen.Frequency(
        (4, Gen.Elements(0, 1, 2, 31, 32, 63, 64, 65, 66, 127, 128, 499, 500, 999, 1000, 1001, 2047, 2048, 4095, 4096, 4097, 50_000, 100_000)),
        (2, Gen.Choose(0, 300)),
        (1, Gen.Choose(0, 100_000)));

    private static readonly Gen<string> Atom = Gen.Elements("1", "0", "actual", "target", "count", "-1", "(1)", "1+1", "1/0", ".5", "99999999999999999999999999", "completion^2", "x");

    private static readonly Gen<string> WideCall =
        from name in Gen.Elements("MIN", "MAX", "AND", "OR", "IF", "NOT", "ABS", "ROUND", "CLAMP", "min", "FOO")
        from count in Size
        from atom in Atom
        select $"{name}({string.Join(",", Enumerable.Repeat(atom, count))})";

    private static readonly Gen<string> WideChain =
        from op in Gen.Elements("+", "-", "*", "/", "^", "=", "<", "<>", ">=")
        from count in Size
        from atom in Atom
        select atom + string.Concat(Enumerable.Repeat(op + atom, count));

    private static readonly Gen<string> LongLiteral =
        from unit in Gen.Elements("1", "9", "0", "a", "_", "甲", "x1", ".1")
        from count in Size
        from prefix in Gen.Elements("", "1.", "actual+", "MIN(", "=")
        select prefix + string.Concat(Enumerable.Repeat(unit, Math.Max(1, count)));

    private static readonly Gen<string> Deep =
        from pair in Gen.Elements(("(", ")"), ("-", ""), ("+", ""), ("ABS(", ")"), ("AND(", ")"), ("NOT(", ")"), ("IF(1,", ",0)"), ("MIN(1,", ")"), ("2^", ""), ("1+(", ")"))
        from count in Size
        from balanced in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
        from atom in Atom
        select string.Concat(Enumerable.Repeat(pair.Item1, count)) + atom + string.Concat(Enumerable.Repeat(pair.Item2, balanced ? count : count / 2));

    private static readonly Gen<string> Single = Gen.OneOf(WideCall, WideChain, LongLiteral, Deep);

    /// <summary>Two or three of the above joined by an operator or nested in a call: width and depth together.</summary>
    private static readonly Gen<string> Mixed =
        from parts in Gen.ArrayOf(Single, 2)
        from glue in Gen.Elements("+", "*", ",", ">=", ")", "(")
        from wrap in Gen.Elements("{0}", "MAX({0})", "({0})", "-{0}", "ROUND({0}, 2)")
        select string.Format(CultureInfo.InvariantCulture, wrap, string.Join(glue, parts));

    private static readonly Gen<string> Formulas = Gen.Frequency((3, Single), (1, Mixed));

    [Fact]
    public void Formulas_of_extreme_width_and_depth_compile_or_give_positioned_diagnostics_never_an_exception()
    {
        var cases = Formulas.Sample(1200, new Rnd(Seed, Gamma), 30);
        var compiled = 0;
        var limited = 0;
        for (var i = 0; i < cases.Length; i++)
        {
            var text = cases[i];
            var context = i % 3 == 0 ? FormulaContext.Adjustment : FormulaContext.Indicator;
            FormulaCompilation compilation;
            try
            {
                compilation = ClosureFormulas.Compile(text, context);
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i} ({Shown(text)}): {e.GetType().Name}: {e.Message}");
                return;
            }
            if (compilation.Succeeded)
            {
                compiled++;
                Assert.True(text.Length <= FormulaLimits.MaxCharacters, $"case {i}: {text.Length} characters compiled");
                Evaluates(i, text, compilation.Formula, context);
                continue;
            }
            foreach (var d in compilation.Diagnostics)
            {
                Assert.True(d.Offset >= 0 && d.Length >= 0 && d.Offset + d.Length <= text.Length, $"case {i} ({Shown(text)}): {d} outside the text");
                Assert.False(string.IsNullOrWhiteSpace(d.Message), $"case {i}: empty message");
            }
            if (compilation.Diagnostics.Any(d => d.Message.StartsWith("公式太长", StringComparison.Ordinal) || d.Message.StartsWith("公式嵌套太深", StringComparison.Ordinal)
                    || d.Message.StartsWith("公式太复杂", StringComparison.Ordinal) || d.Message.Contains("的参数太多", StringComparison.Ordinal)))
                limited++;
            var e2 = Assert.Throws<InvalidOperationException>(() => { _ = FormulaCompiler.CompileExpression(text, context); });
            Assert.StartsWith("无效的公式", e2.Message);
        }
        // The generators reach both sides of the limits.
        Assert.InRange(compiled, 80, cases.Length);
        Assert.InRange(limited, 300, cases.Length);
    }

    [Fact]
    public void Rulesets_holding_such_formulas_give_only_diagnostics_inside_the_yaml()
    {
        var cases = Formulas.Sample(150, new Rnd(Seed + 1, Gamma), 30);
        for (var i = 0; i < cases.Length; i++)
        {
            var yaml = RulesetYaml.County("c").Class("创先")
                .Indicator($"{{ id: x, name: 指标, weight: 10, method: formula, formula: \"{cases[i]}\" }}").Build() + "\n";
            RulesetLoadResult result;
            try
            {
                result = RulesetLoader.Load(yaml);
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i} ({Shown(cases[i])}): {e.GetType().Name}: {e.Message}");
                return;
            }
            foreach (var d in result.Diagnostics)
                Assert.True(d.Position.Line is >= 1 and <= 15 && d.Position.Column >= 1, $"case {i}: {d} outside the text");
            if (result.IsValid) Assert.NotNull(Rules.Evaluation.CompiledRuleset.Compile(result.Ruleset!, result.Sha256));
            else Assert.NotEmpty(result.Diagnostics);
        }
    }

    /// <summary>The closures and the expression tree agree: the same value, or both fail.</summary>
    private static void Evaluates(int i, string text, CompiledFormula formula, FormulaContext context)
    {
        var (tree, uses) = FormulaCompiler.CompileExpression(text, context);
        Assert.Equal(formula.Uses, uses);
        var fromTree = new CompiledFormula(text, uses, tree.Compile());
        foreach (var scope in new[] { new FormulaScope(), new FormulaScope { Actual = 3m, Target = 2m, Completion = 1.5m, Count = 2m } })
        {
            var ok = formula.TryEvaluate(scope, out var value, out var failure);
            var treeOk = fromTree.TryEvaluate(scope, out var treeValue, out var treeFailure);
            Assert.True(ok == treeOk && value == treeValue && failure == treeFailure,
                $"case {i} ({Shown(text)}): closures {value} {failure}, tree {treeValue} {treeFailure}");
        }
    }

    private static string Shown(string text) => text.Length <= 120 ? text : $"{text[..120]}… ({text.Length} characters)";
}
