using System.Text;
using BaiQianWan.Assess.Cli;
using BaiQianWan.Assess.Tests.Store;

namespace BaiQianWan.Assess.Tests.Hostile;

/// <summary>Issue 14 through the command line: rows 3, 5, 11, 12, 13, 17 and 18 end with a positioned message and exit 2 (or 3), never a stack trace.</summary>
public sealed class HostileCliTests : IDisposable
{
    private static readonly string Ruleset = RulesetYaml.County("c").Class("创先")
        .Indicator("{ id: x, name: 指标, weight: 10, method: completion }")
        .Indicator("{ id: g, name: 增速, weight: 10, method: increment, metric: growth }").Build();

    private const string Units = "code,name,level,parent,class\nA,甲县,county,,创先\nB,乙县,county,,创先\n";
    private const string Header = "unit,indicator,period,actual,target,baseline\n";

    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-hostile-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private string Write(string name, string text) => WriteBytes(name, Encoding.UTF8.GetBytes(text));

    private string WriteBytes(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using (BaiQianWan.Assess.Cli.StoreSession.UseRenderer(() => null))
        {
            var code = CliApp.Run(args, stdout, stderr);
            return (code, stdout.ToString(), stderr.ToString());
        }
    }

    private (int Code, string Out, string Err) Evaluate(string observations, string? ruleset = null, string units = Units)
    {
        ruleset ??= Ruleset;
        var output = Path.Combine(_dir, "results.json");
        var result = Run("evaluate", "--units", Write("U.csv", units), "--observations", Write("O.csv", observations),
            "--ruleset", Write("R.yaml", ruleset), "--period", "2025Q3", "--out", output);
        if (result.Code != 0) Assert.False(File.Exists(output));
        return result;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void NoStackTrace(string err)
    {
        Assert.DoesNotContain("   at ", err);
        Assert.DoesNotContain("Exception", err);
    }

    [Fact]
    public void Row_11_evaluating_a_period_with_no_observations_is_refused_not_scored_zero()
    {
        var (code, _, err) = Evaluate(Header + "A,x,2025Q2,48,50,\n");
        Assert.Equal(2, code);
        Assert.Equal([$"{Path.Combine(_dir, "O.csv")}: 2025Q3 没有任何县（市、区）单位的报送数据：不评价（否则每个单位都会是 0 分，照样排名定等）"], Lines(err));
    }

    [Fact]
    public void Row_17_a_header_only_observations_file_is_refused()
    {
        var (code, _, err) = Evaluate(Header);
        Assert.Equal(2, code);
        Assert.Contains("2025Q3 没有任何县（市、区）单位的报送数据", err);
    }

    [Fact]
    public void Figures_of_another_scheme_only_are_refused_naming_what_came()
    {
        var (code, _, err) = Evaluate(Header + "A,gdp,2025Q3,48,50,\nB,tax,2025Q3,1,,\n");
        Assert.Equal(2, code);
        Assert.Contains("2025Q3 的县（市、区）报送数据中没有规则集 'c' 的任何指标（收到的指标：gdp、tax）", err);
    }

    [Fact]
    public void Row_12_a_class_no_indicator_covers_is_a_validation_error_at_the_class()
    {
        var path = Write("R.yaml", Ruleset.Replace("classes: [创先]", "classes: [创先, 消薄]")
            .Replace("weight: 10, method: completion", "weight: { 创先: 10 }, method: completion")
            .Replace("weight: 10, method: increment", "weight: { 创先: 10 }, method: increment"));
        var (code, stdout, _) = Run("validate", path);
        Assert.Equal(1, code);
        // "classes: [创先, 消薄]": 消薄 starts at column 15 of line 4.
        Assert.Equal([$"{path}:4:15: RS1033: 类别 '消薄' 没有任何指标适用（每个指标的权重都没有给这个类别），其单位会全部得 0 分"], Lines(stdout));
    }

    [Fact]
    public void Row_13_a_baseline_that_would_overflow_is_refused_with_its_row_and_column()
    {
        var (code, _, err) = Evaluate(Header + "A,x,2025Q3,48,50,\nA,g,2025Q3,5,1,0.0000000000000000000000000001\n");
        Assert.Equal(2, code);
        NoStackTrace(err);
        Assert.Equal([$"{Path.Combine(_dir, "O.csv")}:3:baseline: '0.0000000000000000000000000001' 超出可计算的范围（绝对值应小于 10 的 12 次方，最多 6 位小数）"], Lines(err));
    }

    [Fact]
    public void Row_13_the_smallest_and_largest_bounded_figures_evaluate_without_overflow()
    {
        // growth = (999999999999.999999 − 0.000001) / 0.000001 × 100 ≈ 10^20: far from decimal's 7.9 × 10^28.
        var (code, _, err) = Evaluate(Header + "A,x,2025Q3,48,50,\nA,g,2025Q3,999999999999.999999,1,0.000001\nB,g,2025Q3,-999999999999.999999,1,0.000001\n");
        Assert.Equal(0, code);
        Assert.Equal("", err);
    }

    [Fact]
    public void Row_18_a_bad_byte_on_row_3_is_reported_at_row_3()
    {
        var bytes = Encoding.UTF8.GetBytes(Header + "A,x,2025Q3,48,50,\nB,x,2025Q3,").Concat(new byte[] { 0xFF }).Concat(Encoding.UTF8.GetBytes("50,50,\n")).ToArray();
        var output = Path.Combine(_dir, "results.json");
        var obs = WriteBytes("O.csv", bytes);
        var (code, _, err) = Run("evaluate", "--units", Write("U.csv", Units), "--observations", obs, "--ruleset", Write("R.yaml", Ruleset),
            "--period", "2025Q3", "--out", output);
        Assert.Equal(2, code);
        Assert.Equal([$"{obs}:3:actual: 不是 UTF-8 编码（第 4 列有字节 0xFF；请另存为 UTF-8 的 CSV，或使用 XLSX）"], Lines(err));
    }

    [Fact]
    public void Row_18_token_with_99999999_hours_is_a_clear_error_with_exit_2()
    {
        var key = Convert.ToBase64String(new byte[32]);
        var (code, stdout, err) = Run("token", "--role", "office", "--key", key, "--hours", "99999999");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal(["--hours 应在 1 到 87600（十年）之间，这里是 99999999"], Lines(err));
    }

    [Fact]
    public void Row_3_a_truncated_xlsx_import_exits_2_naming_the_file_and_part()
    {
        var db = Path.Combine(_dir, "office.db");
        Assert.Equal(0, Run("init", "--store", db).Code);
        Assert.Equal(0, Run("import", "units", Write("units.csv", Units), "--year", "2025", "--store", db).Code);
        var sheet = RawXlsx.SheetHead + RawXlsx.Row(1, Header.Trim().Split(',')) + RawXlsx.Row(2, "A", "x", "2025Q3", "48");
        var path = WriteBytes("cut.xlsx", RawXlsx.Package(sheet[..^10]));

        var (code, _, err) = Run("import", "observations", path, "--store", db);

        Assert.Equal(2, code);
        NoStackTrace(err);
        var lines = Lines(err);
        Assert.Matches(@"^cut\.xlsx:2:-: XLSX 文件的 xl/worksheets/sheet1\.xml 第 1 行第 \d+ 列：XML 格式错误（文件被截断或损坏）$", lines[0]);
        Assert.Equal("cut.xlsx：共 1 处错误，未写入任何数据", lines[1]);
    }

    [Fact]
    public void Row_5_importing_units_that_drop_evaluated_ones_needs_replace_all_on_the_cli()
    {
        var db = Path.Combine(_dir, "office.db");
        Assert.Equal(0, Run("init", "--store", db).Code);
        Assert.Equal(0, Run("import", "units", Write("units.csv", Mini.UnitsCsv.Replace("\r\n", "\n")), "--year", "2025", "--store", db).Code);
        Assert.Equal(0, Run("import", "observations", Write("observations.csv", Mini.ObservationsCsv.Replace("\r\n", "\n")), "--store", db).Code);
        Assert.Equal(0, Run("ruleset", "add", Write("mini.yaml", Mini.RulesetYaml), "--store", db).Code);
        Assert.Equal(0, Run("ruleset", "activate", "mini", "1", "--store", db).Code);
        Assert.Equal(0, Run("run", "--period", "2025Q3", "--level", "county", "--store", db).Code);
        var header = Write("empty.csv", "code,name,level,parent,class\n");

        var (code, _, err) = Run("import", "units", header, "--year", "2025", "--store", db);
        Assert.Equal(3, code);
        Assert.Equal(["empty.csv 没有任何单位，导入后 2025 年将没有单位；确认要清空该年度的单位名单，请明确确认（命令行 --replace-all，API ?replaceAll=true，门户勾选“确认替换整个名单”）"], Lines(err));

        (code, _, err) = Run("import", "units", header, "--year", "2025", "--replace-all", "--store", db);
        Assert.Equal(0, code);
        Assert.Equal("", err);
    }
}
