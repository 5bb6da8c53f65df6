namespace BaiQianWan.Assess.Portal.Models;

/// <summary>The office's evaluations page: start a run, see the runs.</summary>
/// <param name="Frame">Layout.</param>
/// <param name="Rulesets">What can be run.</param>
/// <param name="Period">Default period.</param>
/// <param name="Runs">Runs, newest first.</param>
public sealed record RunsPageModel(PageFrame Frame, IReadOnlyList<RulesetChoice> Rulesets, string Period, IReadOnlyList<RunLine> Runs);
