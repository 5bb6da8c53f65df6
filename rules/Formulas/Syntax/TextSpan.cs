namespace BaiQianWan.Assess.Rules.Formulas.Syntax;

/// <summary>A range of the original formula text.</summary>
internal readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;

    public static TextSpan FromBounds(int start, int end) => new(start, end - start);
}
