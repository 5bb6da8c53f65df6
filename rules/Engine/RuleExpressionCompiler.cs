using System.Linq.Expressions;
using BaiQianWan.Assess.Rules.Formulas.Emit;
using NRules.Extensibility;

namespace BaiQianWan.Assess.Rules.Engine;

/// <summary>
/// How NRules turns a rule's expressions into delegates. Compiling an expression tree to IL costs about a
/// millisecond each (a JIT run), and a ruleset has a hundred or more of them, while a session evaluates each
/// condition and action only a few hundred times (facts are per class and item): so rule expressions are
/// interpreted, which compiles in microseconds. The exception is an expression that embeds a formula (a nested
/// lambda evaluated once per unit), which is compiled to IL, as it runs per unit.
/// </summary>
internal sealed class RuleExpressionCompiler : IExpressionCompiler
{
    public TDelegate Compile<TDelegate>(Expression<TDelegate> expression)
        where TDelegate : Delegate
    {
        // The finder and the LINQ compiler recurse over the whole tree: its height is bounded first, by a walk that
        // stops at the bound (formula trees are bounded when compiled, so a rule's stays well inside it).
        TreeLimits.CheckHeight(expression);
        return NestedLambdaFinder.Has(expression) ? expression.Compile() : expression.Compile(preferInterpretation: true);
    }

    private sealed class NestedLambdaFinder : ExpressionVisitor
    {
        private int _depth;
        private bool _found;

        public static bool Has(LambdaExpression expression)
        {
            var finder = new NestedLambdaFinder();
            finder.Visit(expression);
            return finder._found;
        }

        protected override Expression VisitLambda<T>(Expression<T> node)
        {
            if (_depth > 0) _found = true;
            _depth++;
            var result = base.VisitLambda(node);
            _depth--;
            return result;
        }
    }
}
