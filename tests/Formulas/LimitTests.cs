using System.Globalization;
using System.Linq.Expressions;
using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Formulas.Binding;
using BaiQianWan.Assess.Rules.Formulas.Emit;
using BaiQianWan.Assess.Rules.Formulas.Syntax;
using BaiQianWan.Assess.Tests.Formulas.Closures;

namespace BaiQianWan.Assess.Tests.Formulas;

/// <summary>
/// Issue 19 item 1: every bound of <see cref="FormulaLimits"/> at the limit (compiles, through the closures and the
/// expression tree NRules gets) and one past it (a diagnostic at the place it was passed), and the checks each later
/// stage makes before it walks a tree.
/// </summary>
public sealed class LimitTests
{
    private static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));

    private static string Call(string name, int arguments) => $"{name}({string.Join(",", Enumerable.Repeat("1", arguments))})";

    /// <summary>Compiles both ways (closures, and the expression tree NRules embeds) and evaluates both.</summary>
    private static decimal BothWays(string text)
    {
        var closures = Formula.Evaluate(text);
        var (tree, _) = FormulaCompiler.CompileExpression(text, FormulaContext.Indicator);
        // Compared as text: the same value and the same scale.
        Assert.Equal(closures.ToString(CultureInfo.InvariantCulture), tree.Compile()(new FormulaScope()).ToString(CultureInfo.InvariantCulture));
        return closures;
    }

    [Fact]
    public void The_limits_are_the_documented_ones()
    {
        Assert.Equal(4096, FormulaLimits.MaxCharacters);
        Assert.Equal(64, FormulaLimits.MaxArguments);
        Assert.Equal(1000, FormulaLimits.MaxNodes);
        Assert.Equal(64, FormulaLimits.MaxDepth);
        Assert.Equal(512, FormulaLimits.MaxExpressionHeight);
    }

    [Fact]
    public void Text_at_the_length_limit_compiles_and_one_character_more_is_refused_as_a_whole()
    {
        var atLimit = new string(' ', FormulaLimits.MaxCharacters - 1) + "7";
        Assert.Equal(7m, BothWays(atLimit));
        var past = " " + atLimit;
        Assert.Equal(new FormulaDiagnostic(0, 4097, "公式太长（4097 个字符，最多 4096 个）", FormulaCodes.TooLong), Formula.Diagnostic(past));
    }

    [Fact]
    public void The_reported_crash_MIN_of_100000_arguments_is_refused_before_it_is_read()
    {
        var text = Call("MIN", 100_000);
        Assert.Equal(200_004, text.Length);
        Assert.Equal(new FormulaDiagnostic(0, 200_004, "公式太长（200004 个字符，最多 4096 个）", FormulaCodes.TooLong), Formula.Diagnostic(text));
        var e = Assert.Throws<InvalidOperationException>(() => { _ = FormulaCompiler.CompileExpression(text, FormulaContext.Indicator); });
        Assert.Contains("公式太长（200004 个字符，最多 4096 个）", e.Message);
    }

    [Theory]
    [InlineData("MIN", 1)]
    [InlineData("MAX", 1)]
    [InlineData("AND", 1)]
    [InlineData("OR", 1)]
    [InlineData("min", 1)]
    public void Sixty_four_arguments_compile_and_the_sixty_fifth_is_refused_where_it_starts(string function, int expected)
    {
        Assert.Equal(expected, BothWays(Call(function, FormulaLimits.MaxArguments)));
        var past = Call(function, FormulaLimits.MaxArguments + 1);
        // "MIN(" then 64 × "1," : the 65th argument starts at 4 + 128.
        Assert.Equal(new FormulaDiagnostic(function.Length + 1 + 2 * 64, 1, $"函数 {function} 的参数太多（最多 64 个）", FormulaCodes.TooManyArguments), Formula.Diagnostic(past));
    }

    [Fact]
    public void Sixty_four_arguments_keep_their_order_and_values()
    {
        // 37 is odd, so i × 37 mod 64 runs through 0…63: the values are −20…43 in a scrambled order.
        var values = Enumerable.Range(1, 64).Select(i => (i * 37 % 64 - 20).ToString(CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(-20m, BothWays($"MIN({string.Join(",", values)})"));
        Assert.Equal(43m, BothWays($"MAX({string.Join(",", values)})"));
        // Equal values of different scales: the closures' fold and the tree's block pick the same one (BothWays compares text).
        BothWays("MIN(1.0, 1.00, 1.000, actual)");
        BothWays("MAX(1.000, 1.00, 1.0, actual + 1)");
    }

    [Fact]
    public void MIN_of_sixty_four_arguments_is_a_flat_expression_tree_not_a_chain_64_deep()
    {
        var (tree, _) = FormulaCompiler.CompileExpression(Call("MIN", 64), FormulaContext.Indicator);
        // lambda → block → r = … → Math.Min(r, 1) → r and 1
        Assert.True(TreeLimits.IsWithinHeight(tree, 5));
        Assert.False(TreeLimits.IsWithinHeight(tree, 4));
    }

    /// <summary>15 × MIN(1,…63 ones) (64 nodes each) and <paramref name="ones"/> more 1s, in one MAX: 961 + ones nodes.</summary>
    private static string Nodes(int ones) =>
        "MAX(" + string.Join(",", Enumerable.Repeat(Call("MIN", 63), 15).Concat(Enumerable.Repeat("1", ones))) + ")";

    [Fact]
    public void A_thousand_nodes_compile_and_the_one_past_them_is_refused_where_it_stands()
    {
        Assert.Equal(1m, BothWays(Nodes(39)));
        var past = Nodes(40);
        Assert.Equal(new FormulaDiagnostic(past.Length - 2, 1, "公式太复杂（数字、名称、运算符、函数和括号合计超过 1000 个）", FormulaCodes.TooManyNodes), Formula.Diagnostic(past));
    }

    [Fact]
    public void Signs_operators_and_parentheses_count_as_nodes()
    {
        // "-(1+1)" is 5 nodes: "-", "(", "1", "+", "1". MIN of 63 of them is 316; three such, ten more and a 1 in a MAX:
        // 1 + 948 + 50 + 1 = 1000.
        var group = "MIN(" + string.Join(",", Enumerable.Repeat("-(1+1)", 63)) + ")";
        string Text(string last) => "MAX(" + string.Join(",", Enumerable.Repeat(group, 3).Concat(Enumerable.Repeat("-(1+1)", 10)).Append(last)) + ")";
        Assert.Equal(1m, BothWays(Text("1")));
        var past = Text("1+1"); // the last "+" is node 1001
        Assert.Equal(new FormulaDiagnostic(past.Length - 3, 1, "公式太复杂（数字、名称、运算符、函数和括号合计超过 1000 个）", FormulaCodes.TooManyNodes), Formula.Diagnostic(past));
    }

    public static TheoryData<string, string, int> Depths() => new()
    {
        // at the limit (depth 64) | one level more | where that level is refused
        { new string('(', 63) + "1" + new string(')', 63), new string('(', 64) + "1" + new string(')', 64), 64 },
        { new string('-', 63) + "1", new string('-', 64) + "1", 64 },
        { Repeat("ABS(", 63) + "1" + new string(')', 63), Repeat("ABS(", 64) + "1" + new string(')', 64), 256 },
        // a chain is left-nested: 64 terms are 64 levels, and the 64th '+' makes the 65th
        { "1" + Repeat("+1", 63), "1" + Repeat("+1", 64), 127 },
        { "2" + Repeat("*1", 63), "2" + Repeat("*1", 64), 127 },
        // a parenthesis around a chain at the limit is refused at the parenthesis
        { "(1" + Repeat("+1", 62) + ")", "(1" + Repeat("+1", 63) + ")", 0 },
        { "ABS(1" + Repeat("+1", 62) + ")", "ABS(1" + Repeat("+1", 63) + ")", 0 },
    };

    [Theory]
    [MemberData(nameof(Depths))]
    public void Depth_64_compiles_and_65_is_refused_where_the_level_past_it_starts(string atLimit, string past, int offset)
    {
        BothWays(atLimit);
        var d = Formula.Diagnostic(past);
        Assert.Equal("公式嵌套太深（超过 64 层）", d.Message);
        Assert.Equal(offset, d.Offset);
        Assert.Equal(past[offset] == 'A' ? 3 : 1, d.Length);
    }

    [Fact]
    public void The_deepest_formula_becomes_an_expression_tree_well_inside_the_height_NRules_is_given()
    {
        // AND is the tallest construct: block → if → not → test per level.
        var deepest = Repeat("AND(", 63) + "1" + new string(')', 63);
        Assert.Equal(1m, BothWays(deepest));
        var (tree, _) = FormulaCompiler.CompileExpression(deepest, FormulaContext.Indicator);
        Assert.True(TreeLimits.IsWithinHeight(tree, 4 * FormulaLimits.MaxDepth));
        Assert.True(4 * FormulaLimits.MaxDepth + 256 <= FormulaLimits.MaxExpressionHeight);
    }

    [Fact]
    public void Expression_trees_are_measured_before_they_are_walked_and_refused_one_level_past_the_height()
    {
        static Expression Tall(int height)
        {
            Expression e = Expression.Constant(1m);
            for (var i = 1; i < height; i++) e = Expression.Negate(e);
            return e;
        }
        Assert.True(TreeLimits.IsWithinHeight(Tall(512), 512));
        Assert.False(TreeLimits.IsWithinHeight(Tall(513), 512));
        TreeLimits.CheckHeight(Tall(512));
        Assert.Throws<InvalidOperationException>(() => TreeLimits.CheckHeight(Tall(513)));
        // The measure stops at the bound: a chain far taller than any stack is refused, not walked.
        Assert.False(TreeLimits.IsWithinHeight(Tall(1_000_000), 512));

        // The compiler NRules calls for every rule expression refuses the same (lambda + 511 levels is 512).
        var compiler = new BaiQianWan.Assess.Rules.Engine.RuleExpressionCompiler();
        Assert.Equal(1m, compiler.Compile(Expression.Lambda<Func<decimal>>(Tall(511)))());
        Assert.Throws<InvalidOperationException>(() => compiler.Compile(Expression.Lambda<Func<decimal>>(Tall(512))));
    }

    [Fact]
    public void The_binder_and_both_emitters_refuse_a_tree_past_the_depth_before_walking_it()
    {
        static ExpressionSyntax Syntax(int depth)
        {
            var one = new Token(TokenKind.Number, new TextSpan(0, 1), "1", 1m);
            ExpressionSyntax e = new NumberSyntax(one);
            for (var i = 1; i < depth; i++) e = new UnarySyntax(new Token(TokenKind.Minus, new TextSpan(0, 1), "-"), e);
            return e;
        }
        static BoundExpression Bound(int depth)
        {
            BoundExpression e = new BoundLiteral(1m);
            for (var i = 1; i < depth; i++) e = new BoundNegation(e);
            return e;
        }

        Assert.Equal(64, Binder.Bind(Syntax(64), FormulaContext.Indicator, [], out _).Depth);
        Assert.Throws<ArgumentException>(() => Binder.Bind(Syntax(65), FormulaContext.Indicator, [], out _));
        // 63 negations of 1
        Assert.Equal(-1m, ClosureCompiler.Compile(Bound(64))(new FormulaScope()));
        Assert.Throws<ArgumentException>(() => ClosureCompiler.Compile(Bound(65)));
        Assert.Equal(-1m, ExpressionTreeCompiler.Compile(Bound(64)).Compile()(new FormulaScope()));
        Assert.Throws<ArgumentException>(() => ExpressionTreeCompiler.Compile(Bound(65)));
        // A tree far past the bound (as the 100,000-argument MIN made for NRules) is refused, not walked.
        Assert.Throws<ArgumentException>(() => ExpressionTreeCompiler.Compile(Bound(200_000)));
    }
}
