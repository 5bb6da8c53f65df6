using System.Text.Json;
using BaiQianWan.Assess.Cli;
using static BaiQianWan.Assess.Tests.Annual.AnnualData;

namespace BaiQianWan.Assess.Tests.Annual;

/// <summary>
/// Annual contract §2 from files: <c>evaluate … --period 2025 --sources …</c> reads results JSON files as the publications
/// (a monitor's a month, any other a quarter by its period), refuses two files for one period and files of another year or
/// level with exit 2 and a message naming them, and refuses a period of the other cadence; <c>validate</c> knows sources.
/// </summary>
public sealed class AnnualCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-annual-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text) => Write(name, System.Text.Encoding.UTF8.GetBytes(text));

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string[] Files(string ruleset, string period) =>
    [
        "evaluate", "--units", Write("U.csv", "code,name,level,parent,class\nA,甲县,county,,创先\nB,乙县,county,,创先\nC,丙县,county,,创先\nD,丁县,county,,创先\n"),
        "--observations", Write("O.csv", "unit,indicator,period,actual,target,baseline\nA,other,2025Q4,1,,\n"),
        "--ruleset", Write("R.yaml", ruleset), "--period", period, "--out", Path.Combine(_dir, "out.json"),
    ];

    private string[] Sources(params (string Name, byte[] Bytes)[] files) => ["--sources", .. files.Select(f => Write(f.Name, f.Bytes))];

    [Fact]
    public void Evaluate_reads_the_quarters_and_months_and_lists_them_in_the_results()
    {
        var (code, stdout, stderr) = Run([.. Files(SourceDataTests.Yaml, "2025"),
            .. Sources(("Q1.json", SourceDataTests.Q1), ("Q2.json", SourceDataTests.Q2), ("Q4.json", SourceDataTests.Q4), ("M01.json", SourceDataTests.M01), ("M02.json", SourceDataTests.M02))]);
        Assert.True(code == 0, stderr);
        Assert.Contains("读取公布结果 5 期：2025-01、2025-02、2025Q1、2025Q2、2025Q4", stdout);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_dir, "out.json")));
        var root = doc.RootElement;
        Assert.Equal("2025", root.GetProperty("period").GetString());
        Assert.Equal(["2025-01", "2025-02", "2025Q1", "2025Q2", "2025Q4"], root.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("period").GetString()));
        Assert.All(root.GetProperty("sources").EnumerateArray(), s => Assert.Equal(JsonValueKind.Null, s.GetProperty("run").ValueKind));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(SourceDataTests.M02)),
            root.GetProperty("sources")[1].GetProperty("sha256").GetString());
        // Totals worked in SourceDataTests: B 90.67, A 82.17, C 64.5, D 0.
        Assert.Equal([("B", 90.67m), ("A", 82.17m), ("C", 64.5m), ("D", 0m)],
            root.GetProperty("units").EnumerateArray().Select(u => (u.GetProperty("code").GetString()!, u.GetProperty("total").GetDecimal())));
        Assert.Equal("82.16666666666666666666666667", root.GetProperty("units")[1].GetProperty("indicators")[0].GetProperty("actual").GetRawText());
    }

    [Fact]
    public void Two_files_for_one_period_another_year_or_another_level_exit_2_naming_the_files()
    {
        var (code, stdout, stderr) = Run([.. Files(SourceDataTests.Yaml, "2025"),
            .. Sources(("Q1.json", SourceDataTests.Q1), ("Q1-again.json", Quarter("2025Q1", new Q("A", 1, 1))))]);
        Assert.Equal(2, code);
        Assert.Contains("Q1-again.json", stderr);
        Assert.Contains("Q1.json", stderr.Replace("Q1-again.json", ""));
        Assert.Contains("2025Q1", stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "out.json")));
        Assert.Equal("", stdout);

        (code, _, stderr) = Run([.. Files(SourceDataTests.Yaml, "2025"), .. Sources(("old.json", Quarter("2024Q4", new Q("A", 1, 1))))]);
        Assert.Equal(2, code);
        Assert.Contains("old.json", stderr);
        Assert.Contains("2024Q4", stderr);

        (code, _, stderr) = Run([.. Files(SourceDataTests.Yaml, "2025"), .. Sources(("town.json", Month("2025-05", "town", ("T", ["red"]))))]);
        Assert.Equal(2, code);
        Assert.Contains("town.json", stderr);
        Assert.Contains("town", stderr);

        (code, _, stderr) = Run([.. Files(SourceDataTests.Yaml, "2025"), .. Sources(("bad.json", "{\"period\":"u8.ToArray()))]);
        Assert.Equal(2, code);
        Assert.Contains("bad.json", stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "out.json")));
    }

    [Fact]
    public void A_period_of_the_other_cadence_or_sources_for_a_quarter_ruleset_exit_2()
    {
        var (code, _, stderr) = Run(Files(SourceDataTests.Yaml, "2025Q4"));
        Assert.Equal(2, code);
        Assert.Contains("cadence: year", stderr);
        Assert.Contains("2025Q4", stderr);

        var quarter = "id: q\nname: 季\nlevel: county\nclasses: [创先]\ndimensions:\n  - id: d\n    name: 维\n    indicators:\n      - { id: other, name: 指标, weight: 10, method: completion }\n";
        (code, _, stderr) = Run(Files(quarter, "2025"));
        Assert.Equal(2, code);
        Assert.Contains("cadence: quarter", stderr);
        (code, _, stderr) = Run([.. Files(quarter, "2025Q4"), .. Sources(("Q1.json", SourceDataTests.Q1))]);
        Assert.Equal(2, code);
        Assert.Contains("--sources", stderr);
        Assert.Equal(0, Run(Files(quarter, "2025Q4")).Code);
    }

    [Fact]
    public void An_uploaded_row_carrying_a_derived_id_exits_2()
    {
        var args = Files(SourceDataTests.Yaml, "2025");
        File.AppendAllText(args[4], "A,avg_q1,2025,90,,\n");
        var (code, _, stderr) = Run([.. args, .. Sources(("Q1.json", SourceDataTests.Q1))]);
        Assert.Equal(2, code);
        Assert.Contains("'avg_q1'", stderr);
    }

    [Fact]
    public void Validate_describes_the_sources_and_reports_their_errors_at_their_lines()
    {
        var (code, stdout, _) = Run("validate", Write("Y.yaml", SourceDataTests.Yaml));
        Assert.Equal(0, code);
        Assert.Contains("年度考核（cadence: year", stdout);
        Assert.Contains("avg ← 各季度公布结果的 total（avg_q1、avg_q2、avg_q3、avg_q4、avg_first、avg_last、avg_count）", stdout);
        Assert.Contains("red ← 各月月度通报的 red 灯个数（red_months）", stdout);
        Assert.EndsWith("OK", stdout.TrimEnd());

        var bad = Write("B.yaml", SourceDataTests.Yaml.Replace("cadence: year", "cadence: quarter").Replace("figure: rank", "figure: ranking"));
        (code, stdout, _) = Run("validate", bad);
        Assert.Equal(1, code);
        Assert.Contains($"{bad}:7:1: RS5002:", stdout);
        Assert.Contains($"{bad}:9:39: RS5005:", stdout);
    }
}
