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
public sealed record ScorecardPageModel(PageFrame Frame, string Code, string Name, ResultSummary Result, IReadOnlyList<ScoreLine> Dimensions, IReadOnlyList<IndicatorLine> Indicators, IReadOnlyList<ScoreLine> Adjustments, string BackUrl);
