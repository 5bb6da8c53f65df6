using System.Globalization;
using BaiQianWan.Assess.Rules.Formulas;
using FsCheck;
using FsCheck.Fluent;

namespace BaiQianWan.Assess.Tests.Formulas;

/// <summary>
/// Random formulas against a plain, independent evaluation of the same tree ("by hand": the spec's rules written
/// directly in decimal arithmetic). Each case is one formula compiled once and evaluated on several scopes.
/// </summary>
public class RandomFormulaTests
{
    private static readonly Config Settings = Config.QuickThrowOnFailure.WithMaxTest(100);

    [Fact]
    public void Compiled_formulas_agree_with_direct_evaluation() =>
        Check.One(Settings, Prop.ForAll(Arb.From(Cases(FormulaGen(4))), Agrees));

    [Fact]
    public void Unparenthesized_chains_follow_precedence() =>
        Check.One(Settings, Prop.ForAll(Arb.From(Cases(ChainGen())), Agrees));

    [Fact]
    public void Expression_trees_for_NRules_agree_with_direct_evaluation() =>
        Check.One(Settings, Prop.ForAll(Arb.From(Cases(FormulaGen(4))), c => Agrees(c, AsExpressionTree)));

    [Fact]
    public void Expression_tree_chains_follow_precedence() =>
        Check.One(Settings, Prop.ForAll(Arb.From(Cases(ChainGen())), c => Agrees(c, AsExpressionTree)));

    /// <summary>The formula as the NRules engine gets it: an expression tree, compiled as a rule's action is.</summary>
    private static CompiledFormula AsExpressionTree(string text)
    {
        var (tree, uses) = FormulaCompiler.CompileExpression(text, FormulaContext.Indicator);
        return new CompiledFormula(text, uses, tree.Compile());
    }

    private static bool Agrees((Expr Expr, FormulaScope[] Scopes) testCase) => Agrees(testCase, t => Formula.Compile(t));

    private static bool Agrees((Expr Expr, FormulaScope[] Scopes) testCase, Func<string, CompiledFormula> compile)
    {
        var text = testCase.Expr.Render();
        var formula = compile(text);
        foreach (var scope in testCase.Scopes)
        {
            string? expectedFailure = null;
            var expected = 0m;
            try
            {
                expected = testCase.Expr.Evaluate(scope);
            }
            catch (DivideByZeroException)
            {
                expectedFailure = "除数为零";
            }
            catch (OverflowException)
            {
                expectedFailure = "数值超出范围";
            }
            var ok = formula.TryEvaluate(scope, out var actual, out var failure);
            Assert.True(
                ok == (expectedFailure is null) && failure == expectedFailure && actual == expected,
                $"{text}: expected {expectedFailure ?? expected.ToString(CultureInfo.InvariantCulture)}, " +
                $"got {failure ?? actual.ToString(CultureInfo.InvariantCulture)}");
        }
        return true;
    }

    private static Gen<(Expr, FormulaScope[])> Cases(Gen<Expr> formulas) =>
        from expr in formulas
        from scopes in Gen.ArrayOf(ScopeGen, 5)
        select (expr, scopes);

    // Zero often enough that divisions by a variable fail now and then.
    private static readonly Gen<decimal> Value = Gen.Frequency(
        (1, Gen.Constant(0m)),
        (6, Gen.Choose(-100_000, 100_000).Select(i => i / 100m)));

    private static readonly Gen<FormulaScope> ScopeGen =
        Gen.ArrayOf(Value, 9).Select(v => new FormulaScope
        {
            Actual = v[0], Target = v[1], Baseline = v[2], Weight = v[3], Completion = v[4],
            Growth = v[5], Rank = v[6], Peers = v[7], ClassAvg = v[8],
        });

    private static readonly (string Name, Func<FormulaScope, decimal> Read)[] Variables =
    [
        ("actual", s => s.Actual), ("Target", s => s.Target), ("baseline", s => s.Baseline),
        ("WEIGHT", s => s.Weight), ("completion", s => s.Completion), ("growth", s => s.Growth),
        ("rank", s => s.Rank), ("peers", s => s.Peers), ("classAvg", s => s.ClassAvg),
    ];

    private static readonly Gen<Expr> Literal = Gen.Choose(0, 100_000).Select(i => (Expr)new Num(i / 100m));

    private static readonly Gen<Expr> Leaf = Gen.OneOf(
        Literal,
        Gen.Elements(Variables).Select(v => (Expr)new Var(v.Name, v.Read)));

    private static Gen<Expr> FormulaGen(int depth)
    {
        if (depth == 0) return Leaf;
        var sub = FormulaGen(depth - 1);
        var binary =
            from op in Gen.Elements("+", "-", "*", "/", "=", "<>", "<", "<=", ">", ">=")
            from left in sub
            from right in sub
            select (Expr)new Bin(op, left, right);
        var power =
            from b in sub
            from n in Gen.Choose(-2, 3)
            select (Expr)new Pow(b, n);
        var call =
            from name in Gen.Elements("IF", "AND", "OR", "NOT", "MIN", "MAX", "ABS", "CLAMP", "if", "Min")
            from args in Gen.ArrayOf(sub, name.ToUpperInvariant() switch
            {
                "NOT" or "ABS" => 1,
                "CLAMP" => 3,
                "IF" => 3,
                _ => 2,
            })
            select (Expr)new Call(name, args);
        var ifWithoutElse =
            from condition in sub
            from then in sub
            select (Expr)new Call("IF", [condition, then]);
        var round =
            from x in sub
            from n in Gen.Choose(-2, 4)
            select (Expr)new Round(x, n);
        var negation = sub.Select(e => (Expr)new Neg(e));
        return Gen.Frequency(
            (3, Leaf), (6, binary), (1, power), (4, call), (1, ifWithoutElse), (1, round), (1, negation));
    }

    /// <summary>A flat chain like <c>3 - -2^2 * 4 / 5 + 1</c>, rendered without parentheses.</summary>
    private static Gen<Expr> ChainGen()
    {
        var term =
            from n in Gen.Choose(0, 2000).Select(i => i / 10m)
            from negative in Gen.Elements(false, true)
            from exponent in Gen.Choose(0, 2)
            select (Term)new(n, negative, exponent);
        return
            from first in term
            from count in Gen.Choose(1, 6)
            from rest in Gen.ArrayOf(Gen.Zip(Gen.Elements('+', '-', '*', '/'), term), count)
            select (Expr)new Chain(first, rest);
    }

    private abstract record Expr
    {
        public abstract string Render();

        public abstract decimal Evaluate(FormulaScope scope);

        public sealed override string ToString() => Render();

        protected static bool Truth(decimal value) => value != 0m;

        protected static decimal Number(bool value) => value ? 1m : 0m;

        protected static decimal RaiseToInteger(decimal x, int n)
        {
            var result = 1m;
            for (var i = 0; i < Math.Abs(n); i++) result *= x;
            if (n >= 0) return result;
            if (result == 0m && x != 0m) throw new OverflowException(); // 1/x^n is too large, not a zero divisor
            return 1m / result;
        }
    }

    private sealed record Num(decimal Value) : Expr
    {
        public override string Render() => Value.ToString(CultureInfo.InvariantCulture);

        public override decimal Evaluate(FormulaScope scope) => Value;
    }

    private sealed record Var(string Name, Func<FormulaScope, decimal> Read) : Expr
    {
        public override string Render() => Name;

        public override decimal Evaluate(FormulaScope scope) => Read(scope);
    }

    private sealed record Neg(Expr Operand) : Expr
    {
        public override string Render() => $"-({Operand.Render()})";

        public override decimal Evaluate(FormulaScope scope) => -Operand.Evaluate(scope);
    }

    private sealed record Pow(Expr Base, int Exponent) : Expr
    {
        public override string Render() => $"({Base.Render()})^{Exponent}";

        public override decimal Evaluate(FormulaScope scope) => RaiseToInteger(Base.Evaluate(scope), Exponent);
    }

    private sealed record Round(Expr Value, int Digits) : Expr
    {
        public override string Render() => $"ROUND({Value.Render()}, {Digits})";

        public override decimal Evaluate(FormulaScope scope)
        {
            var x = Value.Evaluate(scope);
            if (Digits >= 0) return decimal.Round(x, Digits, MidpointRounding.AwayFromZero);
            var unit = Digits == -1 ? 10m : 100m;
            // The quotient could be rounded only within 1e-28 of a midpoint, which random values do not hit.
            return decimal.Round(x / unit, 0, MidpointRounding.AwayFromZero) * unit;
        }
    }

    private sealed record Bin(string Op, Expr Left, Expr Right) : Expr
    {
        public override string Render() => $"({Left.Render()} {Op} {Right.Render()})";

        public override decimal Evaluate(FormulaScope scope)
        {
            var l = Left.Evaluate(scope);
            var r = Right.Evaluate(scope);
            return Op switch
            {
                "+" => l + r,
                "-" => l - r,
                "*" => l * r,
                "/" => l / r,
                "=" => Number(l == r),
                "<>" => Number(l != r),
                "<" => Number(l < r),
                "<=" => Number(l <= r),
                ">" => Number(l > r),
                ">=" => Number(l >= r),
                _ => throw new InvalidOperationException(Op),
            };
        }
    }

    private sealed record Call(string Name, Expr[] Args) : Expr
    {
        public override string Render() => $"{Name}({string.Join(", ", Args.Select(a => a.Render()))})";

        public override decimal Evaluate(FormulaScope scope)
        {
            if (Name.Equals("IF", StringComparison.OrdinalIgnoreCase))
            {
                if (Truth(Args[0].Evaluate(scope))) return Args[1].Evaluate(scope);
                return Args.Length == 3 ? Args[2].Evaluate(scope) : 0m;
            }
            // Every other function evaluates all its arguments, left to right.
            var v = Args.Select(a => a.Evaluate(scope)).ToArray();
            return Name.ToUpperInvariant() switch
            {
                "AND" => Number(v.All(Truth)),
                "OR" => Number(v.Any(Truth)),
                "NOT" => Number(!Truth(v[0])),
                "MIN" => v.Min(),
                "MAX" => v.Max(),
                "ABS" => v[0] < 0m ? -v[0] : v[0],
                "CLAMP" => v[1] > v[2] ? v[1] : v[0] < v[1] ? v[1] : v[0] > v[2] ? v[2] : v[0],
                _ => throw new InvalidOperationException(Name),
            };
        }
    }

    private sealed record Term(decimal Value, bool Negative, int Exponent)
    {
        public string Render() => (Negative ? "-" : "") + Value.ToString(CultureInfo.InvariantCulture) +
                                  (Exponent == 1 ? "" : $"^{Exponent}");

        // ^ binds tighter than the sign: -n^k is -(n^k).
        public decimal Evaluate()
        {
            var power = 1m;
            for (var i = 0; i < Exponent; i++) power *= Value;
            return Negative ? -power : power;
        }
    }

    private sealed record Chain(Term First, (char Op, Term Term)[] Rest) : Expr
    {
        public override string Render() =>
            First.Render() + string.Concat(Rest.Select(r => $" {r.Op} {r.Term.Render()}"));

        public override decimal Evaluate(FormulaScope scope)
        {
            // Schoolbook precedence: fold each run of * and / left to right into a term, then add the terms up.
            var sums = new List<(char Sign, decimal Value)>();
            var sign = '+';
            var product = First.Evaluate();
            foreach (var (op, term) in Rest)
            {
                var value = term.Evaluate();
                switch (op)
                {
                    case '*': product *= value; break;
                    case '/': product /= value; break;
                    default:
                        sums.Add((sign, product));
                        sign = op;
                        product = value;
                        break;
                }
            }
            sums.Add((sign, product));
            var total = 0m;
            foreach (var (s, value) in sums) total = s == '+' ? total + value : total - value;
            return total;
        }
    }
}
