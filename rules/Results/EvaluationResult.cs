using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Rules.Results;

/// <summary>The result of one evaluation (spec §3).</summary>
/// <param name="Period">Evaluated period.</param>
/// <param name="Ruleset">The ruleset used.</param>
/// <param name="DataSha256">SHA-256 of the data used (see <c>DataHash</c>).</param>
/// <param name="Units">Scored units, by class (ruleset order), rank, then code.</param>
/// <param name="Skipped">Units of the level whose class the ruleset does not list, by code.</param>
/// <param name="UnknownIndicators">Ids in the period's observations the ruleset does not know, sorted.</param>
public sealed record EvaluationResult(
    Period Period,
    RulesetInfo Ruleset,
    string DataSha256,
    ImmutableArray<UnitResult> Units,
    ImmutableArray<SkippedUnit> Skipped,
    ImmutableArray<string> UnknownIndicators)
{
    /// <summary>
    /// (Annual contract §2) The publications the evaluation read as sources, by period: present (possibly empty) exactly when
    /// the ruleset has <c>sources</c>, written as the top-level <c>sources</c>; default (absent) otherwise.
    /// </summary>
    public ImmutableArray<Annual.SourceRecord> Sources { get; init; }
}
