using System.Collections.Immutable;

namespace BaiQianWan.Assess.Rules.Formulas.Binding;

/// <summary>A call of a built-in function with an accepted number of arguments.</summary>
internal sealed class BoundCall(BuiltinFunction function, ImmutableArray<BoundExpression> arguments) : BoundExpression
{
    public BuiltinFunction Function { get; } = function;

    public ImmutableArray<BoundExpression> Arguments { get; } = arguments;

    public override int Depth { get; } = (arguments.IsEmpty ? 0 : arguments.Max(a => a.Depth)) + 1;
}
