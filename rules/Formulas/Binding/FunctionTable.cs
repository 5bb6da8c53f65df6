using System.Collections.Immutable;

namespace BaiQianWan.Assess.Rules.Formulas.Binding;

/// <summary>The functions of the language.</summary>
internal static class FunctionTable
{
    public static readonly ImmutableArray<FunctionSignature> All =
    [
        new("IF", BuiltinFunction.If, 2, 3),
        new("AND", BuiltinFunction.And, 1, int.MaxValue),
        new("OR", BuiltinFunction.Or, 1, int.MaxValue),
        new("NOT", BuiltinFunction.Not, 1, 1),
        new("MIN", BuiltinFunction.Min, 1, int.MaxValue),
        new("MAX", BuiltinFunction.Max, 1, int.MaxValue),
        new("ABS", BuiltinFunction.Abs, 1, 1),
        new("ROUND", BuiltinFunction.Round, 2, 2),
        new("CLAMP", BuiltinFunction.Clamp, 3, 3),
        new("FLOOR", BuiltinFunction.Floor, 1, 2),
        new("CEILING", BuiltinFunction.Ceiling, 1, 2),
        new("TRUNC", BuiltinFunction.Trunc, 1, 2),
    ];

    /// <summary>Finds a function by name, ignoring case.</summary>
    public static bool TryLookup(string name, out FunctionSignature signature)
    {
        // A linear scan, as in Variables.Find: cheaper than a dictionary's first-use JIT at this size.
        foreach (var function in All)
        {
            if (string.Equals(function.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                signature = function;
                return true;
            }
        }
        signature = default;
        return false;
    }
}
