using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using BaiQianWan.Assess.Rules.Loading;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary>
/// <c>validate R.yaml</c>: prints OK, or every error as <c>R.yaml:LINE:COL: message</c> (<c>…: CODE: message</c> for an
/// error with a stable code). A valid ruleset's warnings (<see cref="RulesetWarnings"/>) come before OK as
/// <c>R.yaml:LINE:COL: warning: CODE: message</c> and leave the exit code 0. <c>--format json</c> prints one JSON object
/// for tools instead (warnings with <c>"severity": "warning"</c>).
/// </summary>
internal static class ValidateCommand
{
    public const int Invalid = 1;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("ruleset") { Description = "规则集 YAML 文件" };
        var format = new Option<string>("--format") { Description = "输出格式：text（默认）或 json（供工具读取）", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("validate", "检查规则集或月通报规则（kind: monitor），列出每个错误的行号和列号") { file, format };
        command.SetAction(parse => Run(parse.GetValue(file)!, stdout, stderr, parse.GetValue(format) ?? "text"));
        return command;
    }

    public static int Run(string path, TextWriter stdout, TextWriter stderr, string format = "text")
    {
        var errors = new List<string>();
        var files = new InputFiles(errors);
        // A file with `kind` is a monitor (月通报规则, kind: monitor; another kind is its error); without, a scoring ruleset.
        var yaml = files.ReadYamlText(path);
        IReadOnlyList<RulesetDiagnostic> diagnostics = [];
        IReadOnlyList<RulesetDiagnostic> warnings = [];
        string? annual = null;
        var valid = false;
        if (yaml is not null && Rules.Monitors.MonitorLoader.IsMonitorText(yaml))
        {
            var monitor = files.LoadMonitor(path);
            diagnostics = monitor is null ? [] : monitor.Diagnostics;
            valid = monitor is { IsValid: true } && files.CompileMonitor(path, monitor) is not null;
        }
        else if (yaml is not null)
        {
            var result = files.LoadRuleset(path);
            diagnostics = result is null ? [] : result.Diagnostics;
            valid = result is { IsValid: true } && files.CompileRuleset(path, result) is not null;
            if (valid) warnings = result!.Warnings;
            if (valid) annual = Annual(result!.Ruleset!);
        }
        if (format == "json")
        {
            stdout.WriteLine(Json(path, valid, diagnostics, warnings, errors));
            return valid ? CliApp.Ok : Invalid;
        }
        if (valid)
        {
            foreach (var w in warnings) stdout.WriteLine($"{path}:{w.Position.Line}:{w.Position.Column}: warning: {w.Code}: {w.Message}");
            if (annual is not null) stdout.WriteLine($"{path}: {annual}");
            stdout.WriteLine("OK");
            return CliApp.Ok;
        }
        foreach (var e in errors) stdout.WriteLine(e);
        return Invalid;
    }

    /// <summary>(Annual §1–2) For a <c>cadence: year</c> ruleset: what it evaluates and what each source reads; null for a quarter ruleset.</summary>
    private static string? Annual(Rules.Model.Ruleset ruleset)
    {
        if (ruleset.Cadence != Rules.Model.Cadence.Year) return null;
        if (ruleset.Sources.IsEmpty) return "年度考核（cadence: year，期间 YYYY），没有数据来源";
        var sources = ruleset.Sources.Select(s => s.From == Rules.Model.SourceFrom.Quarters
            ? $"{s.Id} ← 各季度公布结果的 {s.FigureName}{(s.Of is null ? "" : " " + s.Of)}（{string.Join("、", s.InputIds)}）"
            : $"{s.Id} ← 各月月度通报的 {s.Light} 灯个数（{s.InputIds[0]}）");
        return $"年度考核（cadence: year，期间 YYYY），数据来源：{string.Join("；", sources)}";
    }

    /// <summary>
    /// <c>{"file", "valid", "diagnostics": [{"code", "severity", "line", "column", "length", "message"}]}</c>: the loader's
    /// diagnostics with their spans (<c>length</c>: characters from the column on that line, 0 for a point); a file that
    /// could not be read or compiled gives its line with no position.
    /// </summary>
    private static string Json(string path, bool valid, IReadOnlyList<RulesetDiagnostic> diagnostics, IReadOnlyList<RulesetDiagnostic> warnings,
        List<string> errors)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("file", path);
            w.WriteBoolean("valid", valid);
            w.WriteStartArray("diagnostics");
            foreach (var d in (IEnumerable<RulesetDiagnostic>)[.. diagnostics, .. warnings])
            {
                w.WriteStartObject();
                if (d.Code is null) w.WriteNull("code");
                else w.WriteString("code", d.Code);
                w.WriteString("severity", d.Severity);
                w.WriteNumber("line", d.Position.Line);
                w.WriteNumber("column", d.Position.Column);
                if (d.Length is { } length) w.WriteNumber("length", length);
                else w.WriteNull("length");
                w.WriteString("message", d.Message);
                w.WriteEndObject();
            }
            // Problems outside the loader's diagnostics (unreadable file, not UTF-8, not compilable): text only.
            foreach (var e in errors.Skip(diagnostics.Count))
            {
                w.WriteStartObject();
                w.WriteNull("code");
                w.WriteString("severity", "error");
                w.WriteNull("line");
                w.WriteNull("column");
                w.WriteNull("length");
                w.WriteString("message", e);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
