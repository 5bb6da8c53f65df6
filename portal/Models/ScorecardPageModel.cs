namespace BaiQianWan.Assess.Portal.Models;

/// <summary>A unit's scorecard for one period, as a page.</summary>
/// <param name="Frame">Layout.</param>
/// <param name="Code">Unit code.</param>
/// <param name="Name">Unit name.</param>
/// <param name="Result">Head figures.</param>
/// <param name="Dimensions">Dimension scores.</param>
/// <param name="Indicators">Indicator scores with explanations.</param>
/// <param name="Adjustments">Bonuses and penalties.</param>
/// <param name="BackUrl">Where 返回 leads.</param>
public sealed record ScorecardPageModel(PageFrame Frame, string Code, string Name, ResultSummary Result, IReadOnlyList<ScoreLine> Dimensions, IReadOnlyList<IndicatorLine> Indicators, IReadOnlyList<ScoreLine> Adjustments, string BackUrl)
{
    /// <summary>The 公示稿 mark while the publication is provisional (公示中), else null (final, or a run's own review page).</summary>
    public DraftMark? Draft { get; init; }

    /// <summary>The published run's level (null on a run's own review page).</summary>
    public BaiQianWan.Assess.Rules.Data.UnitLevel? Level { get; init; }

    /// <summary>The published run shown (null on a run's own review page).</summary>
    public string? RunId { get; init; }

    /// <summary>What a review request may be about in this result.</summary>
    public IReadOnlyList<ReviewTarget> Targets { get; init; } = [];

    /// <summary>The review panel (the unit's form and requests; the office's view of them), or null.</summary>
    public UnitReviewModel? Review { get; init; }
}
