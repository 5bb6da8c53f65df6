using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Samples;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// The data the API tests upload: every county of the generated province, the towns of two counties (A and B),
/// and their 2025Q3 figures. Small enough for Azurite, big enough for several render batches.
/// </summary>
internal static class TestProvince
{
    private static readonly Lazy<(IReadOnlyList<Unit> Units, IReadOnlyList<Observation> Observations)> Data = new(Build);

    public static readonly Period Period = Period.OfQuarter(2025, 3);

    public static IReadOnlyList<Unit> Units => Data.Value.Units;

    public static IReadOnlyList<Observation> Observations => Data.Value.Observations;

    public static IEnumerable<Unit> Counties => Units.Where(u => u.Level == UnitLevel.County);

    /// <summary>County A: the first scored county with towns.</summary>
    public static Unit CountyA => Counties.Where(c => Units.Any(t => t.Parent == c.Code)).First(c => c.Class is "创先" or "进位" or "消薄");

    /// <summary>County B: another scored county with towns.</summary>
    public static Unit CountyB => Counties.Where(c => c.Code != CountyA.Code && Units.Any(t => t.Parent == c.Code)).First(c => c.Class is "创先" or "进位" or "消薄");

    public static Unit TownOf(Unit county) => Units.First(t => t.Parent == county.Code);

    public static byte[] UnitsCsv()
    {
        var w = new StringWriter { NewLine = "\n" };
        ProvinceFiles.WriteUnits(w, Units);
        return Encoding.UTF8.GetBytes(w.ToString());
    }

    public static byte[] ObservationsCsv()
    {
        var w = new StringWriter { NewLine = "\n" };
        ProvinceFiles.WriteObservations(w, Observations);
        return Encoding.UTF8.GetBytes(w.ToString());
    }

    private static (IReadOnlyList<Unit>, IReadOnlyList<Observation>) Build()
    {
        var province = ProvinceGenerator.Generate(new ProvinceOptions());
        var counties = province.Units.Where(u => u.Level == UnitLevel.County).ToList();
        var withTowns = counties.Where(c => c.Class is "创先" or "进位" or "消薄" && province.Units.Any(t => t.Parent == c.Code)).Take(2).Select(c => c.Code).ToHashSet();
        var units = counties.Concat(province.Units.Where(u => u.Level == UnitLevel.Town && withTowns.Contains(u.Parent!))).ToList();
        var codes = units.Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        var observations = province.Observations.Where(o => o.Period == Period && codes.Contains(o.Unit)).ToList();
        return (units, observations);
    }
}
