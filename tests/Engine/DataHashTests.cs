using System.Security.Cryptography;
using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;

namespace BaiQianWan.Assess.Tests.Engine;

public class DataHashTests
{
    private static readonly Period Q3 = Period.OfQuarter(2025, 3);

    [Fact]
    public void The_hash_is_the_SHA256_of_the_documented_canonical_text()
    {
        // Units of other levels and observations of other periods or other levels' units are left out;
        // rows are sorted by unit code, then indicator; numbers lose trailing zeros; absent values are empty.
        var data = new Dataset(
            [
                new Unit("B2", "乙县", UnitLevel.County, null, "进位"),
                new Unit("T1", "某镇", UnitLevel.Town, "A1", "中心镇"),
                new Unit("A1", "甲县", UnitLevel.County, "", "创先"),
            ],
            [
                new Observation("B2", "y", Q3, 7.50m, null, 6m),
                new Observation("A1", "y", Q3, 1m, 2.000m, null),
                new Observation("T1", "y", Q3, 9m, null, null),
                new Observation("A1", "x", Period.OfQuarter(2025, 2), 4m, null, null),
                new Observation("A1", "x", Q3, -0.50m, 10m, 100.25m),
                new Observation("B2", "a", Q3, 12m, null, null),
            ]);
        const string canonical =
            "units county\n" +
            "A1\t甲县\t\t创先\n" +
            "B2\t乙县\t\t进位\n" +
            "observations 2025Q3\n" +
            "A1\tx\t-0.5\t10\t100.25\n" +
            "A1\ty\t1\t2\t\n" +
            "B2\ta\t12\t\t\n" +
            "B2\ty\t7.5\t\t6\n";
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));

        Assert.Equal(expected, DataHash.Compute(data, UnitLevel.County, Q3));
    }

    [Fact]
    public void The_evaluation_reports_the_same_hash_as_DataHash()
    {
        var ruleset = Spec.Compile(Spec.OneIndicator("weight: 10\nmethod: rank"));
        var units = new List<Unit> { new("U2", "乙", UnitLevel.County, null, "创先"), new("U1", "甲", UnitLevel.County, null, "创先") };
        var observations = new List<Observation> { new("U2", "x", Q3, 2m, null, null), new("U1", "zz", Q3, 1m, null, null), new("U1", "x", Q3, 3m, null, null) };
        var data = new Dataset(units, observations);

        Assert.Equal(DataHash.Compute(data, UnitLevel.County, Q3), Evaluator.Evaluate(ruleset, data, Q3).DataSha256);
    }

    [Fact]
    public void A_long_unit_code_hashes_as_its_canonical_text()
    {
        // Each row starts with its unit's code, written once per unit: a code longer than the writer's scratch
        // (40 Chinese characters, 120 UTF-8 bytes) and a unit without rows between two units with rows.
        var longCode = string.Concat(Enumerable.Repeat("县镇村", 13)) + "甲";
        var data = new Dataset(
            [
                new Unit("A1", "甲县", UnitLevel.County, null, "创先"),
                new Unit(longCode, "长县", UnitLevel.County, null, "创先"),
                new Unit("B0", "空县", UnitLevel.County, null, "创先"),
            ],
            [
                new Observation(longCode, "y", Q3, 0.005m, null, -0.0000000000000000000000000005m),
                new Observation("A1", "x", Q3, 3m, 0.45m, null),
                new Observation(longCode, "x", Q3, 123.450m, 1000m, null),
                new Observation("A1", "a", Q3, -12.3400m, null, 18446744073709551616.5m),
            ]);
        var canonical =
            "units county\n" +
            "A1\t甲县\t\t创先\n" +
            "B0\t空县\t\t创先\n" +
            longCode + "\t长县\t\t创先\n" +
            "observations 2025Q3\n" +
            "A1\ta\t-12.34\t\t18446744073709551616.5\n" +
            "A1\tx\t3\t0.45\t\n" +
            longCode + "\tx\t123.45\t1000\t\n" +
            longCode + "\ty\t0.005\t\t-0.0000000000000000000000000005\n";
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));

        Assert.Equal(expected, DataHash.Compute(data, UnitLevel.County, Q3));
    }
}
