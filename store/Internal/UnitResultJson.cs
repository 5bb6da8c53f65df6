using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Store.Internal;

/// <summary>
/// One unit's result on its own, in the results JSON format (spec §3) so that it is read by the same reader:
/// an evaluation result holding just that unit, with the ruleset reduced to its identity.
/// </summary>
internal static class UnitResultJson
{
    public static byte[] Serialize(EvaluationResult result, UnitResult unit)
    {
        var info = result.Ruleset with { Dimensions = [], Adjustments = [], Classes = [], Grades = [] };
        return ResultsJson.Serialize(result with { Ruleset = info, Units = [unit], Skipped = [], UnknownIndicators = ImmutableArray<string>.Empty });
    }

    public static UnitResult Read(ReadOnlySpan<byte> utf8) => ResultsJson.Read(utf8).Units[0];
}
