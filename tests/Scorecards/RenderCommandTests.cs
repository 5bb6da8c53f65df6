using System.IO.Compression;
using BaiQianWan.Assess.Cli;
using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Tests.Scorecards;

public sealed class RenderCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-render-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string WriteResults(string name, EvaluationResult result)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, ResultsJson.Serialize(result));
        return path;
    }

    // A 6.00 (rank 1), B 4.50 (rank 2), C 2.40 (rank 3), all class 创先.
    private static EvaluationResult Result(string period = "2025Q3") => Small.Evaluate(Small.Ruleset(6),
        [("A", "甲县"), ("B", "乙县"), ("C", "丙县")],
        Small.Rows("A", 6, _ => 100, period) + "\n" + Small.Rows("B", 6, i => 40 + 10 * i, period) + "\n" + Small.Rows("C", 6, _ => 40, period), period);

    [Fact]
    public void Render_writes_a_scorecard_per_unit_a_bulletin_per_class_and_a_zip()
    {
        var results = WriteResults("results.json", Result());
        var previous = WriteResults("prev.json", Result("2025Q2"));
        var outDir = Path.Combine(_dir, "out");
        var (code, stdout, stderr) = Run("render", "--results", results, "--out", outDir, "--previous", previous, "--zip",
            "--run-id", "run-7", "--at", "2025-10-08T09:30:00+08:00", "--sample");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Contains("已生成 3 份记分卡、1 份排名通报", stdout);
        Assert.Equal(["A.pdf", "B.pdf", "C.pdf"], Directory.GetFiles(Path.Combine(outDir, "scorecards")).Select(Path.GetFileName).Order());
        var bulletin = File.ReadAllBytes(Path.Combine(outDir, "bulletins", "创先.pdf"));
        var text = Pdf.Text(bulletin);
        Assert.Contains("运行 run-7", text);
        Assert.Contains("2025-10-08 09:30（北京时间）", text);
        Assert.Contains("示例数据", text);
        Assert.Contains("持平", text);
        var b = Pdf.Text(File.ReadAllBytes(Path.Combine(outDir, "scorecards", "B.pdf")));
        Assert.Contains("乙县", b);
        using var zip = ZipFile.OpenRead(Path.Combine(outDir, "documents.zip"));
        Assert.Equal(["scorecards/A.pdf", "scorecards/B.pdf", "scorecards/C.pdf", "bulletins/创先.pdf"], zip.Entries.Select(e => e.FullName));
        using var entry = new MemoryStream();
        zip.GetEntry("bulletins/创先.pdf")!.Open().CopyTo(entry);
        Assert.Equal(bulletin, entry.ToArray());
    }

    [Fact]
    public void Rendering_twice_gives_identical_files_and_zip()
    {
        var results = WriteResults("results.json", Result());
        Assert.Equal(0, Run("render", "--results", results, "--out", Path.Combine(_dir, "one"), "--zip").Code);
        Assert.Equal(0, Run("render", "--results", results, "--out", Path.Combine(_dir, "two"), "--zip").Code);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_dir, "one", "documents.zip")), File.ReadAllBytes(Path.Combine(_dir, "two", "documents.zip")));
    }

    [Fact]
    public void A_broken_results_file_is_an_input_error_naming_the_file()
    {
        var bad = Path.Combine(_dir, "bad.json");
        File.WriteAllText(bad, "{\"period\": \"2025Q3\"}");
        var (code, _, stderr) = Run("render", "--results", bad, "--out", Path.Combine(_dir, "out"));
        Assert.Equal(CliApp.InvalidInput, code);
        Assert.Contains("bad.json", stderr);
        Assert.Contains("结果文件格式不正确", stderr);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    [Fact]
    public void A_missing_previous_file_and_a_bad_time_are_both_reported()
    {
        var results = WriteResults("results.json", Result());
        var (code, _, stderr) = Run("render", "--results", results, "--out", Path.Combine(_dir, "out"), "--previous", Path.Combine(_dir, "nope.json"), "--at", "yesterday");
        Assert.Equal(CliApp.InvalidInput, code);
        Assert.Contains("nope.json: 无法读取文件", stderr);
        Assert.Contains("--at: 'yesterday' 不是时间", stderr);
    }

    [Fact]
    public void Render_of_a_months_results_writes_the_levels_bulletin_and_a_page_per_unit()
    {
        var path = Path.Combine(_dir, "month.json");
        File.WriteAllBytes(path, Rules.Monitors.MonthResultJson.Serialize(MonthResultDocumentTests.Evaluate()));
        var outDir = Path.Combine(_dir, "month");
        var (code, stdout, stderr) = Run("render", "--results", path, "--out", outDir, "--zip", "--run-id", "run-m", "--at", "2025-04-10T02:00:00+08:00");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Contains("已生成 1 份月通报、4 份单位月度监测页（2025年1–3月，通报规则 t-monthly）", stdout);
        Assert.Equal(["county.pdf"], Directory.GetFiles(Path.Combine(outDir, "bulletins")).Select(Path.GetFileName));
        Assert.Equal(["440101.pdf", "440102.pdf", "440201.pdf", "440202.pdf"], Directory.GetFiles(Path.Combine(outDir, "units")).Select(Path.GetFileName).Order());
        var bulletin = File.ReadAllBytes(Path.Combine(outDir, "bulletins", "county.pdf"));
        var text = Pdf.Flat(Pdf.Text(bulletin));
        Assert.Contains("测试月度通报（2025年1–3月）", text);
        Assert.Contains("运行run-m", text);
        Assert.Contains("2025-04-1002:00（北京时间）", text);
        Assert.Contains("乙县", Pdf.Text(File.ReadAllBytes(Path.Combine(outDir, "units", "440102.pdf"))));
        using var zip = ZipFile.OpenRead(Path.Combine(outDir, "documents.zip"));
        Assert.Equal(["bulletins/county.pdf", "units/440101.pdf", "units/440102.pdf", "units/440201.pdf", "units/440202.pdf"], zip.Entries.Select(e => e.FullName));

        // Again: the same bytes.
        var again = Path.Combine(_dir, "again");
        Assert.Equal(0, Run("render", "--results", path, "--out", again, "--run-id", "run-m", "--at", "2025-04-10T02:00:00+08:00").Code);
        Assert.Equal(bulletin, File.ReadAllBytes(Path.Combine(again, "bulletins", "county.pdf")));
    }

    [Fact]
    public void Render_of_a_months_results_refuses_a_previous_result_and_names_a_broken_month_file()
    {
        var path = Path.Combine(_dir, "month.json");
        File.WriteAllBytes(path, Rules.Monitors.MonthResultJson.Serialize(MonthResultDocumentTests.Evaluate()));
        var (code, _, stderr) = Run("render", "--results", path, "--out", Path.Combine(_dir, "x"), "--previous", path);
        Assert.Equal(2, code);
        Assert.Contains("--previous: 月度结果不需要上期结果", stderr);
        Assert.False(Directory.Exists(Path.Combine(_dir, "x")));

        var broken = Path.Combine(_dir, "broken.json");
        File.WriteAllText(broken, """{"kind":"monitor","period":"2025-13"}""");
        (code, _, stderr) = Run("render", "--results", broken, "--out", Path.Combine(_dir, "y"));
        Assert.Equal(2, code);
        Assert.Contains(broken + ": 不是月通报结果 JSON", stderr);
        Assert.False(Directory.Exists(Path.Combine(_dir, "y")));
    }
}
