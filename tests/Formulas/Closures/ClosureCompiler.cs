using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Formulas.Binding;
using BaiQianWan.Assess.Rules.Formulas.Emit;

namespace BaiQianWan.Assess.Tests.Formulas.Closures;

/// <summary>
/// Turns a bound tree into composed closures: the tests' second emitter, against which the expression trees the engine
/// embeds in NRules rules are checked (same values, same failures), and a cheap way to evaluate thousands of formulas
/// (building closures takes some 10–30 µs a formula, compiling an expression tree about 1 ms of JIT). Once the
/// product's evaluator, it left rules/ when validation stopped at binding (issue 21): nothing there used it any more.
/// Subtrees without variables are folded to constants when they evaluate cleanly; one that fails (say <c>1/0</c>) is
/// left to fail at run time, where the spec puts that failure.
/// </summary>
internal sealed class ClosureCompiler
{
    // Constant subtrees read no variable, so any scope does to fold them; one per compilation keeps it unshared.
    private readonly FormulaScope _scratch = new();

    private ClosureCompiler()
    {
    }

    /// <summary>Compiles a bound tree (that bound without diagnostics) into one delegate.</summary>
    public static Func<FormulaScope, decimal> Compile(BoundExpression expression)
    {
        // The parser refuses deeper text; checked here too so this walk (and the closures' calls) never recurse past the bound.
        TreeLimits.CheckDepth(expression);
        return new ClosureCompiler().Emit(expression).Code;
    }

    private Node Emit(BoundExpression expression) => expression switch
    {
        BoundLiteral literal => Node.Of(literal.Value),
        BoundVariable variable => new Node(Variables.Of(variable.Variable).Read, null),
        BoundInput input => new Node(ReadInput(input.Index), null),
        BoundNegation negation => EmitNegation(negation),
        BoundBinary binary => EmitBinary(binary),
        BoundCall { Function: BuiltinFunction.If } call => EmitIf(call),
        BoundCall call => EmitCall(call),
        _ => throw new InvalidOperationException($"Unexpected bound node {expression.GetType().Name}."),
    };

    private Node EmitNegation(BoundNegation negation)
    {
        var operand = Emit(negation.Operand);
        if (operand.Constant is { } value) return Node.Of(-value);
        var code = operand.Code;
        return new Node(s => -code(s), null);
    }

    private Node EmitBinary(BoundBinary binary)
    {
        var left = Emit(binary.Left);
        var right = Emit(binary.Right);
        var code = binary.Operator switch
        {
            BoundBinaryOperator.Add => Binary<BinaryOperations.Add>(left, right),
            BoundBinaryOperator.Subtract => Binary<BinaryOperations.Subtract>(left, right),
            BoundBinaryOperator.Multiply => Binary<BinaryOperations.Multiply>(left, right),
            BoundBinaryOperator.Divide => Binary<BinaryOperations.Divide>(left, right),
            BoundBinaryOperator.Power => Binary<BinaryOperations.Power>(left, right),
            BoundBinaryOperator.Equal => Binary<BinaryOperations.Equal>(left, right),
            BoundBinaryOperator.NotEqual => Binary<BinaryOperations.NotEqual>(left, right),
            BoundBinaryOperator.Less => Binary<BinaryOperations.Less>(left, right),
            BoundBinaryOperator.LessOrEqual => Binary<BinaryOperations.LessOrEqual>(left, right),
            BoundBinaryOperator.Greater => Binary<BinaryOperations.Greater>(left, right),
            BoundBinaryOperator.GreaterOrEqual => Binary<BinaryOperations.GreaterOrEqual>(left, right),
            _ => throw new InvalidOperationException($"Unexpected operator {binary.Operator}."),
        };
        return left.IsConstant && right.IsConstant ? Fold(code) : new Node(code, null);
    }

    private static Func<FormulaScope, decimal> Binary<TOperation>(Node left, Node right)
        where TOperation : struct, IBinaryOperation
    {
        var l = left.Code;
        var r = right.Code;
        // A constant operand (x * 100, 1 - x, x >= 1) is captured as a value, saving a delegate call.
        if (right.Constant is { } c) return s => TOperation.Apply(l(s), c);
        if (left.Constant is { } k) return s => TOperation.Apply(k, r(s));
        return s => TOperation.Apply(l(s), r(s));
    }

    private Node EmitIf(BoundCall call)
    {
        var condition = Emit(call.Arguments[0]);
        var hasElse = call.Arguments.Length == 3;
        if (condition.Constant is { } known)
        {
            // Only the branch a constant condition selects can ever run, so the other is not even emitted.
            if (known != 0m) return Emit(call.Arguments[1]);
            return hasElse ? Emit(call.Arguments[2]) : Node.Of(0m);
        }
        var test = condition.Code;
        var then = Emit(call.Arguments[1]).Code;
        if (!hasElse) return new Node(s => test(s) != 0m ? then(s) : 0m, null);
        var otherwise = Emit(call.Arguments[2]).Code;
        return new Node(s => test(s) != 0m ? then(s) : otherwise(s), null);
    }

    private Node EmitCall(BoundCall call)
    {
        var arguments = call.Arguments.Select(Emit).ToArray();
        var code = call.Function switch
        {
            BuiltinFunction.And => And(arguments),
            BuiltinFunction.Or => Or(arguments),
            BuiltinFunction.Not => Not(arguments[0].Code),
            BuiltinFunction.Min => MinMax(arguments, minimum: true),
            BuiltinFunction.Max => MinMax(arguments, minimum: false),
            BuiltinFunction.Abs => Abs(arguments[0].Code),
            BuiltinFunction.Round => Round(arguments[0], arguments[1]),
            BuiltinFunction.Clamp => Clamp(arguments[0].Code, arguments[1].Code, arguments[2].Code),
            BuiltinFunction.Floor => Whole(arguments, FormulaMath.Floor, FormulaMath.Floor),
            BuiltinFunction.Ceiling => Whole(arguments, FormulaMath.Ceiling, FormulaMath.Ceiling),
            BuiltinFunction.Trunc => Whole(arguments, FormulaMath.Trunc, FormulaMath.Trunc),
            _ => throw new InvalidOperationException($"Unexpected function {call.Function}."),
        };
        return arguments.All(a => a.IsConstant) ? Fold(code) : new Node(code, null);
    }

    /// <summary>FLOOR, CEILING, TRUNC with one argument or two (the step or the places).</summary>
    private static Func<FormulaScope, decimal> Whole(Node[] arguments, Func<decimal, decimal> one, Func<decimal, decimal, decimal> two)
    {
        var x = arguments[0].Code;
        if (arguments.Length == 1) return s => one(x(s));
        var y = arguments[1].Code;
        return s => two(x(s), y(s));
    }

    private static Func<FormulaScope, decimal> And(Node[] arguments)
    {
        var codes = Codes(arguments);
        // No short-circuit: the spec evaluates every argument, so a failure in any of them fails the formula.
        return s =>
        {
            var all = true;
            foreach (var code in codes)
            {
                if (code(s) == 0m) all = false;
            }
            return all ? 1m : 0m;
        };
    }

    private static Func<FormulaScope, decimal> Or(Node[] arguments)
    {
        var codes = Codes(arguments);
        return s =>
        {
            var any = false;
            foreach (var code in codes)
            {
                if (code(s) != 0m) any = true;
            }
            return any ? 1m : 0m;
        };
    }

    private static Func<FormulaScope, decimal> Not(Func<FormulaScope, decimal> operand) =>
        s => operand(s) == 0m ? 1m : 0m;

    private static Func<FormulaScope, decimal> MinMax(Node[] arguments, bool minimum)
    {
        var codes = Codes(arguments);
        if (codes.Length == 1) return codes[0];
        if (codes.Length == 2)
        {
            var a = codes[0];
            var b = codes[1];
            return minimum ? s => Math.Min(a(s), b(s)) : s => Math.Max(a(s), b(s));
        }
        return s =>
        {
            var result = codes[0](s);
            for (var i = 1; i < codes.Length; i++)
            {
                var value = codes[i](s);
                result = minimum ? Math.Min(result, value) : Math.Max(result, value);
            }
            return result;
        };
    }

    private static Func<FormulaScope, decimal> Abs(Func<FormulaScope, decimal> operand) => s => Math.Abs(operand(s));

    private static Func<FormulaScope, decimal> Round(Node value, Node digits)
    {
        var x = value.Code;
        // The usual ROUND(…, 2) has a constant, valid digit count: call decimal.Round directly.
        if (digits.Constant is { } n && n == decimal.Truncate(n) && n is >= 0m and <= 28m)
        {
            var places = (int)n;
            return s => decimal.Round(x(s), places, MidpointRounding.AwayFromZero);
        }
        var d = digits.Code;
        return s => FormulaMath.Round(x(s), d(s));
    }

    private static Func<FormulaScope, decimal> Clamp(
        Func<FormulaScope, decimal> value,
        Func<FormulaScope, decimal> low,
        Func<FormulaScope, decimal> high) =>
        // max(lo, min(x, hi)) is lo whenever lo > hi, as the spec requires.
        s =>
        {
            var x = value(s);
            var lo = low(s);
            var hi = high(s);
            return Math.Max(lo, Math.Min(x, hi));
        };

    private static Func<FormulaScope, decimal>[] Codes(Node[] arguments) => Array.ConvertAll(arguments, a => a.Code);

    private Node Fold(Func<FormulaScope, decimal> code)
    {
        try
        {
            return Node.Of(code(_scratch));
        }
        catch (Exception e) when (e is DivideByZeroException or OverflowException or FormulaEvaluationException)
        {
            return new Node(code, null);
        }
    }

    private static Func<FormulaScope, decimal> ReadInput(int index) => s => s.Inputs[index];

    /// <summary>Emitted code, with its value when it is known at compile time.</summary>
    private readonly record struct Node(Func<FormulaScope, decimal> Code, decimal? Constant)
    {
        public bool IsConstant => Constant.HasValue;

        public static Node Of(decimal value) => new(_ => value, value);
    }
}
