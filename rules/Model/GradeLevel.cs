namespace BaiQianWan.Assess.Rules.Model;

/// <summary>A grade level: a share of ranks (rankShare) or a minimum total (score); the last level carries neither.</summary>
public sealed record GradeLevel(string Name, decimal? Share, decimal? Min);
