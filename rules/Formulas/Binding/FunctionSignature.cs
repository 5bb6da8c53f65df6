namespace BaiQianWan.Assess.Rules.Formulas.Binding;

/// <summary>A function's canonical (upper-case) name and how many arguments it accepts.</summary>
internal readonly record struct FunctionSignature(string Name, BuiltinFunction Function, int MinArguments, int MaxArguments)
{
    public bool Accepts(int count) => count >= MinArguments && count <= MaxArguments;
}
