using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Samples;

namespace BaiQianWan.Assess.Tests.Samples;

public sealed class ProvinceFilesTests(ProvinceFixture fixture) : IClassFixture<ProvinceFixture>
{
    private static readonly Period Q3 = Period.OfQuarter(2025, 3);

    private static string Units(params Unit[] units)
    {
        var writer = new StringWriter();
        ProvinceFiles.WriteUnits(writer, units);
        return writer.ToString();
    }

    private static string Observations(params Observation[] observations)
    {
        var writer = new StringWriter();
        ProvinceFiles.WriteObservations(writer, observations);
        return writer.ToString();
    }

    [Fact]
    public void Units_file_has_the_contract_s_header_and_one_line_per_unit()
    {
        var text = Units(
            new Unit("980102", "璧洞区", UnitLevel.County, null, "创先"),
            new Unit("980102001", "杉湖街道", UnitLevel.Town, "980102", "城区街道"));

        Assert.Equal("code,name,level,parent,class\n980102,璧洞区,county,,创先\n980102001,杉湖街道,town,980102,城区街道\n", text);
    }

    [Fact]
    public void Observations_file_has_the_contract_s_header_and_empty_optional_fields()
    {
        var text = Observations(
            new Observation("980102", "gdp", Q3, 812.3m, 5m, 770.14m),
            new Observation("980102", "national_honor", Q3, 1m, null, null));

        Assert.Equal("unit,indicator,period,actual,target,baseline\n980102,gdp,2025Q3,812.3,5,770.14\n980102,national_honor,2025Q3,1,,\n", text);
    }

    [Theory]
    [InlineData("12.50", "12.5")]
    [InlineData("100.00", "100")]
    [InlineData("0.05", "0.05")]
    [InlineData("-3.20", "-3.2")]
    [InlineData("0.00", "0")]
    [InlineData("1234567.89", "1234567.89")]
    [InlineData("0.0000001", "0.0000001")]
    public void Decimals_are_invariant_without_trailing_zeros_or_exponents(string value, string expected) =>
        Assert.Equal(expected, ProvinceFiles.FormatDecimal(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Fields_are_quoted_only_when_they_need_it()
    {
        var text = Units(new Unit("1", "甲,乙", UnitLevel.County, null, "说\"好\""), new Unit("2", "丙\n丁", UnitLevel.County, null, "创先"));

        Assert.Equal("code,name,level,parent,class\n1,\"甲,乙\",county,,\"说\"\"好\"\"\"\n2,\"丙\n丁\",county,,创先\n", text);
    }

    [Fact]
    public void Province_files_are_utf8_without_bom_with_lf_line_ends()
    {
        var directory = Directory.CreateTempSubdirectory("bqw-samples-");
        try
        {
            ProvinceFiles.WriteProvince(directory.FullName, fixture.Province);

            foreach (var (file, header) in new[] { (ProvinceFiles.UnitsFileName, ProvinceFiles.UnitsHeader), (ProvinceFiles.ObservationsFileName, ProvinceFiles.ObservationsHeader) })
            {
                var bytes = File.ReadAllBytes(Path.Combine(directory.FullName, file));
                Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), file);
                Assert.DoesNotContain((byte)'\r', bytes);
                var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
                Assert.StartsWith(header + "\n", text, StringComparison.Ordinal);
                Assert.EndsWith("\n", text, StringComparison.Ordinal);
            }
            var lines = File.ReadAllLines(Path.Combine(directory.FullName, ProvinceFiles.ObservationsFileName));
            Assert.Equal(fixture.Province.Observations.Count + 1, lines.Length);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_same_seed_gives_byte_identical_files()
    {
        Assert.Equal(Bytes(fixture.Province), Bytes(ProvinceGenerator.Generate(new ProvinceOptions(Seed: 2025))));
    }

    [Fact]
    public void A_different_seed_gives_different_files()
    {
        Assert.NotEqual(Bytes(fixture.Province), Bytes(ProvinceGenerator.Generate(new ProvinceOptions(Seed: 2026))));
    }

    private static byte[] Bytes(Dataset dataset)
    {
        var directory = Directory.CreateTempSubdirectory("bqw-samples-");
        try
        {
            ProvinceFiles.WriteProvince(directory.FullName, dataset);
            return [.. File.ReadAllBytes(Path.Combine(directory.FullName, ProvinceFiles.UnitsFileName)),
                .. File.ReadAllBytes(Path.Combine(directory.FullName, ProvinceFiles.ObservationsFileName))];
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
