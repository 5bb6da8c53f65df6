using System.Linq.Expressions;
using BaiQianWan.Assess.Rules.Formulas.Binding;

namespace BaiQianWan.Assess.Rules.Formulas.Emit;

/// <summary>
/// The checks each emitter makes before it walks a tree. The parser already refuses text past
/// <see cref="FormulaLimits"/>, so these never fire on a compiled formula; they make each walk safe on its own.
/// </summary>
internal static class TreeLimits
{
    /// <summary>Throws when <paramref name="expression"/> is deeper than <see cref="FormulaLimits.MaxDepth"/> (its height is kept on the node: no walk).</summary>
    public static void CheckDepth(BoundExpression expression)
    {
        if (expression.Depth > FormulaLimits.MaxDepth)
            throw new ArgumentException($"A bound tree {expression.Depth} deep is past FormulaLimits.MaxDepth ({FormulaLimits.MaxDepth}).", nameof(expression));
    }

    /// <summary>
    /// Throws when a LINQ expression tree is taller than <paramref name="limit"/>, before anything that recurses over
    /// the whole tree (NRules' visitors, the LINQ compiler) gets it. The check itself descends at most
    /// <paramref name="limit"/> + 1 levels: it stops below that.
    /// </summary>
    public static void CheckHeight(Expression expression, int limit = FormulaLimits.MaxExpressionHeight)
    {
        var meter = new HeightMeter(limit);
        meter.Visit(expression);
        if (meter.Exceeded)
            throw new InvalidOperationException($"An expression tree over {limit} levels tall is refused before it is compiled (FormulaLimits.MaxExpressionHeight).");
    }

    /// <summary>Whether <paramref name="expression"/> is at most <paramref name="limit"/> levels tall (a lone constant is 1).</summary>
    public static bool IsWithinHeight(Expression expression, int limit)
    {
        var meter = new HeightMeter(limit);
        meter.Visit(expression);
        return !meter.Exceeded;
    }

    private sealed class HeightMeter(int limit) : ExpressionVisitor
    {
        private int _depth;

        public bool Exceeded { get; private set; }

        public override Expression? Visit(Expression? node)
        {
            if (node is null || Exceeded) return node;
            if (++_depth > limit)
            {
                // Do not descend further: the answer is known, and the walk stays within limit + 1 levels.
                Exceeded = true;
            }
            else
            {
                base.Visit(node);
            }
            _depth--;
            return node;
        }
    }
}
