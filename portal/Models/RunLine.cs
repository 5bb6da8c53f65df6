namespace BaiQianWan.Assess.Portal.Models;

/// <summary>One evaluation run in a list.</summary>
/// <param name="Id">Run id.</param>
/// <param name="Period">Period.</param>
/// <param name="LevelText">县 or 镇.</param>
/// <param name="Ruleset">id@version.</param>
/// <param name="Status">Status.</param>
/// <param name="Reason">Why it failed.</param>
/// <param name="RequestedAt">When it was asked for.</param>
/// <param name="Actor">Who asked.</param>
/// <param name="Published">True when it is the published run of its period and level.</param>
public sealed record RunLine(string Id, BaiQianWan.Assess.Rules.Data.Period Period, string LevelText, string Ruleset, BaiQianWan.Assess.Store.RunStatus Status, string? Reason, DateTimeOffset RequestedAt, string Actor, bool Published);
