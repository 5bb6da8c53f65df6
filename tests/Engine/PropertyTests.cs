using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Results;
using FsCheck;
using FsCheck.Fluent;

namespace BaiQianWan.Assess.Tests.Engine;

public class PropertyTests
{
    private static readonly CompiledRuleset Ruleset = Spec.Compile(Spec.OneIndicator("""
        weight: 10
        method: completion
        cap: 1.2
        """, extra: """
              - id: y
                name: 排名
                weight: 7.5
                method: rank
                step: 0.1
        adjustments:
          - { id: b, name: 加分, kind: bonus, per: 0.35, max: 2 }
          - { id: p, name: 扣分, kind: penalty, per: 0.45 }
        bonusCap: 1.5
        """));

    /// <summary>A random class of units with figures in hundredths, some rows missing.</summary>
    private static EvaluationResult Evaluate(int[][] rows)
    {
        var units = new List<Unit>();
        var observations = new List<Observation>();
        var period = Period.OfQuarter(2025, 3);
        for (var i = 0; i < rows.Length; i++)
        {
            var code = $"U{i:D3}";
            var row = rows[i];
            units.Add(new Unit(code, code, UnitLevel.County, null, i % 3 == 0 ? "进位" : "创先"));
            if (row.Length > 0 && row[0] % 5 != 0) observations.Add(new Observation(code, "x", period, Math.Abs(row[0]) / 100m, 50m, null));
            if (row.Length > 1) observations.Add(new Observation(code, "y", period, row[1] / 100m, null, null));
            if (row.Length > 2) observations.Add(new Observation(code, "b", period, Math.Abs(row[2]) % 9, null, null));
            if (row.Length > 3) observations.Add(new Observation(code, "p", period, Math.Abs(row[3]) % 5, null, null));
        }
        return Evaluator.Evaluate(Ruleset, new Dataset(units, observations), period);
    }

    [Fact]
    public void A_total_is_the_rounded_sum_of_its_parts() =>
        Prop.ForAll<int[][]>(rows =>
        {
            foreach (var u in Evaluate(rows).Units)
            {
                var parts = u.Indicators.Sum(i => i.Score) + u.Bonus + u.Penalty;
                if (u.Total != Numbers.Round(parts, 2)) return false;
                if (u.Bonus != Math.Min(1.5m, u.Adjustments.Where(a => a.Id == "b").Sum(a => a.Points))) return false;
                if (u.Dimensions.Sum(d => d.Score) != u.Indicators.Sum(i => i.Score)) return false;
                if (u.Indicators.Any(i => i.Score < 0 || i.Score > i.Max)) return false;
            }
            return true;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Ranks_are_consistent_with_totals() =>
        Prop.ForAll<int[][]>(rows =>
        {
            foreach (var cls in Evaluate(rows).Units.GroupBy(u => u.Class))
            {
                var units = cls.ToList();
                foreach (var u in units)
                {
                    // competition rank: 1 + the number of class peers with a strictly higher total
                    if (u.Rank != 1 + units.Count(o => o.Total > u.Total)) return false;
                    if (u.Peers != units.Count) return false;
                }
                // listed by rank, then code
                for (var k = 1; k < units.Count; k++)
                {
                    var (a, b) = (units[k - 1], units[k]);
                    if (a.Rank > b.Rank || (a.Rank == b.Rank && string.CompareOrdinal(a.Code, b.Code) > 0)) return false;
                }
            }
            return true;
        }).QuickCheckThrowOnFailure();
}
