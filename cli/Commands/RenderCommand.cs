using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Scorecards;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary><c>render</c>: results JSON → one scorecard PDF per unit and one bulletin PDF per class (and a zip).</summary>
internal static class RenderCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var results = new Option<string>("--results") { Description = "evaluate 写出的结果 JSON", Required = true };
        var output = new Option<string>("--out") { Description = "输出目录：scorecards/<单位代码>.pdf、bulletins/<类别>.pdf", Required = true };
        var previous = new Option<string?>("--previous") { Description = "上期结果 JSON（用于名次变化）" };
        var zip = new Option<bool>("--zip") { Description = "另写出 documents.zip（全部文件）" };
        var runId = new Option<string?>("--run-id") { Description = "页脚的运行编号（默认由结果文件的 SHA-256 得出）" };
        var at = new Option<string?>("--at") { Description = "页脚的运行时间，ISO 8601，如 2025-10-08T09:30:00+08:00（默认不印）" };
        var sample = new Option<bool>("--sample") { Description = "示例数据：每页印“示例数据”" };
        var command = new Command("render", "由结果 JSON 生成各单位记分卡和各类别排名通报（PDF）") { results, output, previous, zip, runId, at, sample };
        command.SetAction(parse => Run(parse.GetValue(results)!, parse.GetValue(output)!, parse.GetValue(previous), parse.GetValue(zip),
            parse.GetValue(runId), parse.GetValue(at), parse.GetValue(sample), stdout, stderr));
        return command;
    }

    public static int Run(string resultsPath, string outDir, string? previousPath, bool zip, string? runId, string? atText, bool sample,
        TextWriter stdout, TextWriter stderr)
    {
        var errors = new List<string>();
        DateTimeOffset? at = null;
        if (atText is not null)
        {
            if (DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) at = parsed;
            else errors.Add($"--at: '{atText}' 不是时间（应为 ISO 8601，如 2025-10-08T09:30:00+08:00）");
        }
        var (result, resultBytes) = Read(resultsPath, errors);
        var previous = previousPath is null ? null : Read(previousPath, errors).Result;
        if (errors.Count > 0 || result is null)
        {
            foreach (var e in errors) stderr.WriteLine(e);
            return CliApp.InvalidInput;
        }

        var stamp = new DocumentStamp(runId ?? "file-" + Convert.ToHexStringLower(SHA256.HashData(resultBytes))[..12], at, sample);
        var documents = DocumentSet.RenderAll(result, stamp, previous, Environment.ProcessorCount);
        foreach (var d in documents) AtomicFile.Write(Path.Combine(outDir, d.Path), d.Document.Pdf);
        if (zip) AtomicFile.Write(Path.Combine(outDir, "documents.zip"), DocumentSet.Zip(documents, stamp));
        foreach (var d in documents)
            foreach (var m in d.Document.Missing)
                stderr.WriteLine($"{d.Path}: 字体缺字 {m}，已印为 □");
        var scorecards = documents.Count(d => d.Path.StartsWith("scorecards/", StringComparison.Ordinal));
        stdout.WriteLine($"已生成 {scorecards} 份记分卡、{documents.Length - scorecards} 份排名通报（{result.Period}，规则集 {result.Ruleset.Id}）：{outDir}"
                         + (zip ? "，并打包为 documents.zip" : ""));
        return CliApp.Ok;
    }

    private static (EvaluationResult? Result, byte[] Bytes) Read(string path, List<string> errors)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path}: 无法读取文件：{e.Message}");
            return (null, []);
        }
        try
        {
            return (ResultsJson.Read(bytes), bytes);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            errors.Add($"{path}: {e.Message}");
            return (null, bytes);
        }
    }
}
