namespace BaiQianWan.Assess.Rules.Results;

/// <summary>A unit of the ruleset's level that was not scored, with the reason.</summary>
public sealed record SkippedUnit(string Code, string Reason);
