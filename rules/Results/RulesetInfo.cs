using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Rules.Results;

/// <summary>
/// What a result needs to know of the ruleset that produced it: identity, and the names and shapes of its
/// parts, so a result can be read and rendered on its own, years later.
/// </summary>
/// <param name="Id">Ruleset id.</param>
/// <param name="Version">Stored version, or null when evaluated from a file.</param>
/// <param name="Sha256">SHA-256 of the ruleset text.</param>
/// <param name="Name">Display name.</param>
/// <param name="Level">Evaluated level.</param>
/// <param name="Decimals">Score decimals.</param>
/// <param name="Classes">Classes in ruleset order.</param>
/// <param name="Grades">Grade names, best first.</param>
/// <param name="Dimensions">Dimensions with their indicators.</param>
/// <param name="Adjustments">Adjustment items.</param>
public sealed record RulesetInfo(
    string Id,
    int? Version,
    string Sha256,
    string Name,
    UnitLevel Level,
    int Decimals,
    ImmutableArray<string> Classes,
    ImmutableArray<string> Grades,
    ImmutableArray<DimensionInfo> Dimensions,
    ImmutableArray<AdjustmentInfo> Adjustments);

/// <summary>A dimension's id, name and indicators.</summary>
public sealed record DimensionInfo(string Id, string Name, ImmutableArray<IndicatorInfo> Indicators);

/// <summary>An indicator's descriptive fields.</summary>
/// <param name="Id">Id.</param>
/// <param name="Name">Name.</param>
/// <param name="Unit">Unit of measure, if any.</param>
/// <param name="Method">Method name.</param>
/// <param name="Metric">Metric name: completion, value or growth.</param>
/// <param name="Better">higher or lower.</param>
/// <param name="Core">Counts for targets met.</param>
public sealed record IndicatorInfo(string Id, string Name, string? Unit, string Method, string Metric, string Better, bool Core);

/// <summary>An adjustment item's descriptive fields.</summary>
/// <param name="Id">Id.</param>
/// <param name="Name">Name.</param>
/// <param name="Kind">bonus, penalty or veto.</param>
/// <param name="Grade">For a veto, the best grade left.</param>
public sealed record AdjustmentInfo(string Id, string Name, string Kind, string? Grade);
