namespace BaiQianWan.Assess.Rules.Model;

/// <summary>How grades are assigned (spec 2.4).</summary>
public enum GradeBasis
{
    /// <summary>By cumulative share of the rank within the class.</summary>
    RankShare,
    /// <summary>By score thresholds.</summary>
    Score,
}
