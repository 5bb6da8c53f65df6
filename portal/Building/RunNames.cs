using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;

namespace BaiQianWan.Assess.Portal.Building;

/// <summary>
/// The names of a run's ids as its pages print them: a scoring run's dimensions, indicators and adjustments (vetoes
/// included) from the ruleset version it ran, a month run's indicators from its month results. Read by the scorecard page
/// and the notice pages (a review request's target), so both name an id alike.
/// </summary>
internal static class RunNames
{
    /// <summary>Id → name for run <paramref name="runId"/> (empty for an unknown run or one whose ruleset no longer loads).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ReadAsync(AssessmentService service, string runId, CancellationToken cancellationToken)
    {
        var run = await service.GetRunAsync(runId, cancellationToken);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (run is null) return names;
        if (run.Period.IsMonth)
        {
            if (await service.GetMonthResultsAsync(runId, cancellationToken) is { } month)
                foreach (var i in month.Indicators) names[i.Id] = i.Name;
            return names;
        }
        if (await service.FindRulesetAsync(run.RulesetId, run.RulesetVersion, cancellationToken) is { } stored
            && RulesetLoader.Load(stored.Yaml).Ruleset is { } model)
        {
            foreach (var d in model.Dimensions)
            {
                names[d.Id] = d.Name;
                foreach (var i in d.Indicators) names[i.Id] = i.Name;
            }
            foreach (var a in model.Adjustments) names[a.Id] = a.Name;
        }
        return names;
    }

    /// <summary>
    /// A review request's target as the scorecard names it: an indicator by its name with its id (<c>固定资产投资（fai）</c>),
    /// an adjustment or a veto by its name (<c>国家级荣誉</c>); the id alone when the run does not name it.
    /// </summary>
    public static string Target(ReviewTargetKind kind, string id, IReadOnlyDictionary<string, string> names) =>
        !names.TryGetValue(id, out var name) || name == id ? id
        : kind == ReviewTargetKind.Indicator ? $"{name}（{id}）"
        : name;
}
