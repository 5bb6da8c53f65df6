namespace BaiQianWan.Assess.Scorecards;

/// <summary>A character no embedded font has: drawn as □ and reported rather than dropped.</summary>
/// <param name="CodePoint">The Unicode code point.</param>
/// <param name="Context">The text it appeared in.</param>
public sealed record MissingCharacter(int CodePoint, string Context)
{
    /// <inheritdoc />
    public override string ToString() => $"U+{CodePoint:X4} ({char.ConvertFromUtf32(CodePoint)}) in “{Context}”";
}
