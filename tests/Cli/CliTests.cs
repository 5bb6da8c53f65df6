using System.Text.Json;
using BaiQianWan.Assess.Cli;

namespace BaiQianWan.Assess.Tests.Cli;

public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static readonly string Ruleset = RulesetYaml.County("c").Class("创先")
        .Indicator("{ id: x, name: 指标, weight: 10, method: completion }").Build();

    [Fact]
    public void Evaluate_with_trace_writes_one_json_line_per_rule_firing_and_figure()
    {
        var units = Write("U.csv", "code,name,level,parent,class\nA,甲县,county,,创先\nB,乙县,county,,创先\n");
        var obs = Write("O.csv", "unit,indicator,period,actual,target,baseline\nA,x,2025Q3,48,50,\nB,x,2025Q3,50,50,\n");
        var rules = Write("R.yaml", Ruleset);
        var output = Path.Combine(_dir, "results.json");
        var trace = Path.Combine(_dir, "trace.jsonl");
        var (code, _, err) = Run("evaluate", "--units", units, "--observations", obs, "--ruleset", rules, "--period", "2025Q3", "--out", output, "--trace", trace);
        Assert.Equal(0, code);
        Assert.Equal("", err);
        var lines = File.ReadAllLines(trace).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        // indicator:x scored A 48 / 50 × 10 = 9.6 from the class's metrics.
        var a = lines.Single(l => l.GetProperty("rule").GetString() == "indicator:x" && l.GetProperty("unit").GetString() == "A");
        Assert.Equal("9.6", a.GetProperty("figure").GetString());
        Assert.Equal("创先", a.GetProperty("class").GetString());
        Assert.Equal("metrics[创先/x]", a.GetProperty("matched")[0].GetString());
        Assert.Equal("scores[创先/x]", a.GetProperty("produced").GetString());
        Assert.Equal(["indicator:x:metric", "indicator:x", "dimension:d", "total", "rank", "grade:好", "grade:一般", "result"],
            lines.Select(l => l.GetProperty("rule").GetString()!).Distinct());
    }

    [Fact]
    public void A_rule_failing_in_evaluate_names_rule_unit_and_line_exits_2_and_writes_nothing()
    {
        var units = Write("U.csv", "code,name,level,parent,class\nA,甲县,county,,创先\n");
        var obs = Write("O.csv", "unit,indicator,period,actual,target,baseline\nA,x,2025Q3,48,50,\n");
        // weight × cap is beyond a decimal's range, so the indicator's rule fails computing the maximum.
        var rules = Write("R.yaml", Ruleset.Replace("weight: 10, method: completion", "weight: 79228162514264337593543950335, method: completion, cap: 2"));
        var output = Path.Combine(_dir, "results.json");
        var trace = Path.Combine(_dir, "trace.jsonl");
        var (code, _, err) = Run("evaluate", "--units", units, "--observations", obs, "--ruleset", rules, "--period", "2025Q3", "--out", output, "--trace", trace);
        Assert.Equal(2, code);
        Assert.StartsWith($"{rules}:9:", err);
        Assert.Contains("规则 indicator:x（规则集第 9 行）在单位 A（创先）上执行失败：数值超出范围", err);
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(trace));
    }

    [Fact]
    public void Evaluate_writes_results_and_exits_zero()
    {
        var units = Write("U.csv", "code,name,level,parent,class\nA,甲县,county,,创先\nB,乙县,county,,创先\n");
        var obs = Write("O.csv", "unit,indicator,period,actual,target,baseline\nA,x,2025Q3,48,50,\nB,x,2025Q3,50,50,\n");
        var rules = Write("R.yaml", Ruleset);
        var output = Path.Combine(_dir, "out", "results.json");
        var (code, _, err) = Run("evaluate", "--units", units, "--observations", obs, "--ruleset", rules, "--period", "2025Q3", "--out", output);
        Assert.Equal(0, code);
        Assert.Equal("", err);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(output));
        var first = doc.RootElement.GetProperty("units")[0];
        Assert.Equal("B", first.GetProperty("code").GetString());
        Assert.Equal(10m, first.GetProperty("total").GetDecimal());
        Assert.Equal(9.6m, doc.RootElement.GetProperty("units")[1].GetProperty("total").GetDecimal());
    }

    [Fact]
    public void Evaluate_reports_every_input_error_with_its_place_and_exits_two()
    {
        var units = Write("U.csv", "code,name,level,parent,class\nA,甲县,county,,创先\n");
        var obs = Write("O.csv", "unit,indicator,period,actual,target,baseline\nA,x,2025Q3,abc,50,\nQ,x,2025Q3,1,,\n");
        var rules = Write("R.yaml", Ruleset.Replace("weight: 10", "weight: 0"));
        var output = Path.Combine(_dir, "results.json");
        var (code, _, err) = Run("evaluate", "--units", units, "--observations", obs, "--ruleset", rules, "--period", "2025Q3", "--out", output);
        Assert.Equal(2, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
        [
            $"{rules}:9:36: RS1018: 权重必须大于 0，这里是 0",
            $"{obs}:2:actual: 'abc' 不是数值（小数点用 .，不要千分位和单位）",
            $"{obs}:3:unit: 未知的单位 'Q'",
        ], lines);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Validate_prints_ok_for_a_valid_ruleset()
    {
        var (code, stdout, _) = Run("validate", Write("R.yaml", Ruleset.Replace("weight: 10", "weight: 100")));
        Assert.Equal(0, code);
        Assert.Equal("OK", stdout.Trim());
    }

    [Fact]
    public void Validate_prints_each_error_at_its_line_and_column_and_exits_one()
    {
        var path = Write("R.yaml", Ruleset.Replace("level: county", "level: province").Replace("method: completion", "method: magic"));
        var (code, stdout, _) = Run("validate", path);
        Assert.Equal(1, code);
        Assert.Equal(
        [
            $"{path}:3:8: RS3050: level 应为 city、county、town 或 village，这里是 'province'",
            $"{path}:9:48: RS1037: 未知的计分方法 'magic'（可用：completion、bands、rank、efficacy、increment、formula、steps）",
        ], stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public void Validate_format_json_prints_each_error_with_its_code_line_column_and_length()
    {
        var path = Write("R.yaml", Ruleset.Replace("level: county", "level: province").Replace("method: completion", "method: magic"));
        var (code, stdout, _) = Run("validate", path, "--format", "json");
        Assert.Equal(1, code);
        var json = System.Text.Json.Nodes.JsonNode.Parse(stdout)!;
        Assert.Equal(path, (string)json["file"]!);
        Assert.False((bool)json["valid"]!);
        var diagnostics = json["diagnostics"]!.AsArray();
        Assert.Equal(2, diagnostics.Count);
        Assert.Equal(("RS3050", "error", 3, 8), ((string)diagnostics[0]!["code"]!, (string)diagnostics[0]!["severity"]!,
            (int)diagnostics[0]!["line"]!, (int)diagnostics[0]!["column"]!));
        Assert.Contains("city、county、town 或 village", (string)diagnostics[0]!["message"]!);
        Assert.Equal("RS1037", (string)diagnostics[1]!["code"]!);
        Assert.Equal((9, 48), ((int)diagnostics[1]!["line"]!, (int)diagnostics[1]!["column"]!));
        // the span: 'province' and 'magic'
        Assert.Equal((8, 5), ((int)diagnostics[0]!["length"]!, (int)diagnostics[1]!["length"]!));

        var (okCode, okOut, _) = Run("validate", Write("V.yaml", Ruleset.Replace("weight: 10", "weight: 100")), "--format", "json");
        Assert.Equal(0, okCode);
        Assert.True((bool)System.Text.Json.Nodes.JsonNode.Parse(okOut)!["valid"]!);
        Assert.Empty(System.Text.Json.Nodes.JsonNode.Parse(okOut)!["diagnostics"]!.AsArray());
    }

    [Fact]
    public void Validate_warns_of_weights_that_do_not_add_up_with_code_and_line_and_still_exits_zero()
    {
        // One class, one indicator of weight 10: full marks 10, not the 100 a ruleset without totalCap implies.
        var path = Write("W.yaml", Ruleset);
        var (code, stdout, _) = Run("validate", path);
        Assert.Equal(0, code);
        Assert.Equal(
        [
            $"{path}:4:11: warning: RS9001: 类别 '创先' 的指标权重合计 10（维度 10），不是 100 分：全部达标的单位得 10 分（总分不是百分制时可忽略；用 totalCap 写明总分）",
            "OK",
        ], stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        var (jsonCode, json, _) = Run("validate", path, "--format", "json");
        Assert.Equal(0, jsonCode);
        var root = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        Assert.True((bool)root["valid"]!);
        var warning = Assert.Single(root["diagnostics"]!.AsArray())!;
        Assert.Equal(("RS9001", "warning", 4, 11), ((string)warning["code"]!, (string)warning["severity"]!, (int)warning["line"]!, (int)warning["column"]!));
    }
}
