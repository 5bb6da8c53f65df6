using System.Linq.Expressions;
using System.Reflection;
using BaiQianWan.Assess.Rules.Formulas.Binding;

namespace BaiQianWan.Assess.Rules.Formulas.Emit;

/// <summary>
/// Turns a bound tree into a LINQ expression tree over a <see cref="FormulaScope"/>, so a formula can be embedded
/// in an NRules rule (a condition or an action) and compiled with it. Same semantics as the tests' closure emitter:
/// operands are evaluated left to right, IF evaluates only the branch it takes, AND and OR evaluate every argument,
/// and failures (division by zero, a non-whole exponent or ROUND digit count, overflow) throw the same exceptions.
/// Nothing is folded: decimal arithmetic gives the same value at run time, and a constant subtree that fails has to
/// fail at run time anyway (spec 2.3).
/// </summary>
internal static class ExpressionTreeCompiler
{
    private static readonly Expression Zero = Expression.Constant(0m);
    private static readonly Expression One = Expression.Constant(1m);

    /// <summary>Compiles a bound tree (bound without diagnostics) into <c>scope =&gt; value</c>.</summary>
    public static Expression<Func<FormulaScope, decimal>> Compile(BoundExpression expression)
    {
        // The parser refuses deeper text; checked here too so this walk never recurses past the bound.
        TreeLimits.CheckDepth(expression);
        var scope = Expression.Parameter(typeof(FormulaScope), "scope");
        return Expression.Lambda<Func<FormulaScope, decimal>>(Emit(expression, scope), scope);
    }

    private static Expression Emit(BoundExpression expression, ParameterExpression scope) => expression switch
    {
        BoundLiteral literal => Expression.Constant(literal.Value),
        BoundVariable variable => Expression.Field(scope, Variables.Of(variable.Variable).Field),
        BoundInput input => Expression.ArrayIndex(Expression.Field(scope, nameof(FormulaScope.Inputs)), Expression.Constant(input.Index)),
        BoundNegation negation => Expression.Negate(Emit(negation.Operand, scope)),
        BoundBinary binary => EmitBinary(binary, scope),
        BoundCall call => EmitCall(call, scope),
        _ => throw new InvalidOperationException($"Unexpected bound node {expression.GetType().Name}."),
    };

    private static Expression EmitBinary(BoundBinary binary, ParameterExpression scope)
    {
        var left = Emit(binary.Left, scope);
        var right = Emit(binary.Right, scope);
        return binary.Operator switch
        {
            BoundBinaryOperator.Add => Expression.Add(left, right),
            BoundBinaryOperator.Subtract => Expression.Subtract(left, right),
            BoundBinaryOperator.Multiply => Expression.Multiply(left, right),
            BoundBinaryOperator.Divide => Expression.Divide(left, right),
            BoundBinaryOperator.Power => Expression.Call(Method(typeof(FormulaMath), nameof(FormulaMath.Power)), left, right),
            BoundBinaryOperator.Equal => Truth(Expression.Equal(left, right)),
            BoundBinaryOperator.NotEqual => Truth(Expression.NotEqual(left, right)),
            BoundBinaryOperator.Less => Truth(Expression.LessThan(left, right)),
            BoundBinaryOperator.LessOrEqual => Truth(Expression.LessThanOrEqual(left, right)),
            BoundBinaryOperator.Greater => Truth(Expression.GreaterThan(left, right)),
            BoundBinaryOperator.GreaterOrEqual => Truth(Expression.GreaterThanOrEqual(left, right)),
            _ => throw new InvalidOperationException($"Unexpected operator {binary.Operator}."),
        };
    }

    private static Expression EmitCall(BoundCall call, ParameterExpression scope)
    {
        var arguments = call.Arguments.Select(a => Emit(a, scope)).ToArray();
        switch (call.Function)
        {
            case BuiltinFunction.If:
                return Expression.Condition(IsTrue(arguments[0]), arguments[1], arguments.Length == 3 ? arguments[2] : Zero);
            case BuiltinFunction.And:
            case BuiltinFunction.Or:
                return EmitLogic(arguments, call.Function == BuiltinFunction.And);
            case BuiltinFunction.Not:
                return Expression.Condition(IsTrue(arguments[0]), Zero, One);
            case BuiltinFunction.Min:
            case BuiltinFunction.Max:
                {
                    var pick = Method(typeof(Math), call.Function == BuiltinFunction.Min ? nameof(Math.Min) : nameof(Math.Max), typeof(decimal), typeof(decimal));
                    if (arguments.Length == 1) return arguments[0];
                    if (arguments.Length == 2) return Expression.Call(pick, arguments[0], arguments[1]);
                    // r = a0; r = pick(r, a1); …: the closures' left-to-right fold, as a flat block. Nesting the calls
                    // (pick(pick(a0, a1), a2)…) would make the tree as tall as the argument list.
                    var result = Expression.Variable(typeof(decimal), "r");
                    var body = new List<Expression>(arguments.Length + 1) { Expression.Assign(result, arguments[0]) };
                    for (var i = 1; i < arguments.Length; i++) body.Add(Expression.Assign(result, Expression.Call(pick, result, arguments[i])));
                    body.Add(result);
                    return Expression.Block(typeof(decimal), [result], body);
                }
            case BuiltinFunction.Abs:
                return Expression.Call(Method(typeof(Math), nameof(Math.Abs), typeof(decimal)), arguments[0]);
            case BuiltinFunction.Round:
                return Expression.Call(Method(typeof(FormulaMath), nameof(FormulaMath.Round)), arguments[0], arguments[1]);
            case BuiltinFunction.Clamp:
                {
                    // x, lo and hi are evaluated in that order, then max(lo, min(x, hi)): lo whenever lo > hi.
                    var x = Expression.Variable(typeof(decimal), "x");
                    var lo = Expression.Variable(typeof(decimal), "lo");
                    var hi = Expression.Variable(typeof(decimal), "hi");
                    var min = Method(typeof(Math), nameof(Math.Min), typeof(decimal), typeof(decimal));
                    var max = Method(typeof(Math), nameof(Math.Max), typeof(decimal), typeof(decimal));
                    return Expression.Block(typeof(decimal), [x, lo, hi],
                        Expression.Assign(x, arguments[0]),
                        Expression.Assign(lo, arguments[1]),
                        Expression.Assign(hi, arguments[2]),
                        Expression.Call(max, lo, Expression.Call(min, x, hi)));
                }
            case BuiltinFunction.Floor:
            case BuiltinFunction.Ceiling:
            case BuiltinFunction.Trunc:
                {
                    var name = call.Function switch
                    {
                        BuiltinFunction.Floor => nameof(FormulaMath.Floor),
                        BuiltinFunction.Ceiling => nameof(FormulaMath.Ceiling),
                        _ => nameof(FormulaMath.Trunc),
                    };
                    var types = arguments.Length == 1 ? new[] { typeof(decimal) } : [typeof(decimal), typeof(decimal)];
                    return Expression.Call(Method(typeof(FormulaMath), name, types), arguments);
                }
            default:
                throw new InvalidOperationException($"Unexpected function {call.Function}.");
        }
    }

    /// <summary>AND / OR without short-circuit: the spec evaluates every argument, so a failure in any fails the formula.</summary>
    private static Expression EmitLogic(Expression[] arguments, bool and)
    {
        var flag = Expression.Variable(typeof(bool), and ? "all" : "any");
        var body = new List<Expression> { Expression.Assign(flag, Expression.Constant(and)) };
        foreach (var argument in arguments)
        {
            body.Add(and
                ? Expression.IfThen(Expression.Not(IsTrue(argument)), Expression.Assign(flag, Expression.Constant(false)))
                : Expression.IfThen(IsTrue(argument), Expression.Assign(flag, Expression.Constant(true))));
        }
        body.Add(Expression.Condition(flag, One, Zero));
        return Expression.Block(typeof(decimal), [flag], body);
    }

    private static Expression IsTrue(Expression value) => Expression.NotEqual(value, Zero);

    private static Expression Truth(Expression test) => Expression.Condition(test, One, Zero);

    private static MethodInfo Method(Type type, string name, params Type[] parameters) =>
        (parameters.Length == 0
            ? type.GetMethod(name, BindingFlags.Public | BindingFlags.Static)
            : type.GetMethod(name, BindingFlags.Public | BindingFlags.Static, parameters))
        ?? throw new InvalidOperationException($"{type.Name}.{name} not found.");
}
