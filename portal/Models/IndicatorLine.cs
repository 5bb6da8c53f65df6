namespace BaiQianWan.Assess.Portal.Models;

/// <summary>One indicator on the web scorecard.</summary>
/// <param name="Id">Indicator id.</param>
/// <param name="Score">Score.</param>
/// <param name="Max">Full marks.</param>
/// <param name="Explanation">How it was scored.</param>
/// <param name="Missing">Why the data is missing, or null.</param>
public sealed record IndicatorLine(string Id, decimal Score, decimal Max, string Explanation, string? Missing);
