using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Rules.Evaluation;

/// <summary>A method's outcome for one unit: the rounded score and its explanation, or a missing reason.</summary>
internal readonly record struct Scored(decimal Score, Explanation Explanation, string? Missing)
{
    public static Scored Missed(string reason) => new(0m, new MissingExplanation(reason), reason);
}
