using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Store;

/// <summary>The publication pointer of a period and level: which run is official.</summary>
/// <param name="Period">Period.</param>
/// <param name="Level">Level.</param>
/// <param name="RunId">The official run.</param>
/// <param name="Actor">Who published it.</param>
/// <param name="At">When.</param>
/// <param name="Revision">1 for the first publication of this period and level, +1 for each re-publication.</param>
public sealed record Publication(Period Period, UnitLevel Level, string RunId, string Actor, DateTimeOffset At, int Revision);
