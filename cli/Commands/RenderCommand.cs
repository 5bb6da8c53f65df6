using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Scorecards;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary>
/// <c>render</c>: results JSON → one scorecard PDF per unit and one bulletin PDF per class (and a zip); a month's results
/// (<c>kind: monitor</c>, from <c>monitor</c>) → the level's monthly bulletin and one month page per unit.
/// </summary>
internal static class RenderCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var results = new Option<string>("--results") { Description = "evaluate 写出的结果 JSON，或 monitor 写出的月度结果 JSON", Required = true };
        var output = new Option<string>("--out") { Description = "输出目录：scorecards/<单位代码>.pdf、bulletins/<类别>.pdf；月度结果：bulletins/<层级>.pdf、units/<单位代码>.pdf", Required = true };
        var previous = new Option<string?>("--previous") { Description = "上期结果 JSON（用于名次变化）" };
        var zip = new Option<bool>("--zip") { Description = "另写出 documents.zip（全部文件）" };
        var runId = new Option<string?>("--run-id") { Description = "页脚的运行编号（默认由结果文件的 SHA-256 得出）" };
        var at = new Option<string?>("--at") { Description = "页脚的运行时间，ISO 8601，如 2025-10-08T09:30:00+08:00（默认不印）" };
        var sample = new Option<bool>("--sample") { Description = "示例数据：每页印“示例数据”" };
        var sources = new Option<string[]>("--sources")
        {
            Description = "年度结果（期间 YYYY）读取的各期公布结果 JSON（evaluate --sources 给的那些文件），年度记分卡据此列出各季度总分和各月亮灯",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("render", "由结果 JSON 生成各单位记分卡和各类别排名通报（PDF）；由月度结果 JSON 生成月通报和各单位月度监测页") { results, output, previous, zip, runId, at, sample, sources };
        command.SetAction(parse => Run(parse.GetValue(results)!, parse.GetValue(output)!, parse.GetValue(previous), parse.GetValue(zip),
            parse.GetValue(runId), parse.GetValue(at), parse.GetValue(sample), stdout, stderr, parse.GetValue(sources)));
        return command;
    }

    public static int Run(string resultsPath, string outDir, string? previousPath, bool zip, string? runId, string? atText, bool sample,
        TextWriter stdout, TextWriter stderr, string[]? sourcePaths = null)
    {
        sourcePaths ??= [];
        var errors = new List<string>();
        DateTimeOffset? at = null;
        if (atText is not null)
        {
            if (DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) at = parsed;
            else errors.Add($"--at: '{atText}' 不是时间（应为 ISO 8601，如 2025-10-08T09:30:00+08:00）");
        }
        if (ReadBytes(resultsPath) is { } monthBytes && IsMonth(monthBytes))
        {
            if (sourcePaths.Length > 0) errors.Add("--sources: 只用于年度结果（期间 YYYY），月度结果不读取公布结果");
            return RunMonth(resultsPath, monthBytes, outDir, previousPath, zip, runId, at, sample, errors, stdout, stderr);
        }
        var (result, resultBytes) = Read(resultsPath, errors);
        var previous = previousPath is null ? null : Read(previousPath, errors).Result;
        var publications = ReadSources(sourcePaths, result, errors);
        if (errors.Count > 0 || result is null)
        {
            foreach (var e in errors) stderr.WriteLine(e);
            return CliApp.InvalidInput;
        }

        var stamp = new DocumentStamp(runId ?? "file-" + Convert.ToHexStringLower(SHA256.HashData(resultBytes))[..12], at, sample);
        // A year's result (年考评) gets the annual scorecards and bulletins, and the level-wide ranking with a level scope.
        var documents = AnnualDocuments.IsAnnual(result)
            ? AnnualDocuments.RenderAll(result, stamp, publications, previous, Environment.ProcessorCount)
            : DocumentSet.RenderAll(result, stamp, previous, Environment.ProcessorCount);
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

    /// <summary>A month's results: the level's bulletin and one page per unit (monitor.md §4).</summary>
    private static int RunMonth(string path, byte[] bytes, string outDir, string? previousPath, bool zip, string? runId, DateTimeOffset? at, bool sample,
        List<string> errors, TextWriter stdout, TextWriter stderr)
    {
        if (previousPath is not null)
            errors.Add($"--previous: 月度结果不需要上期结果（{path} 已含 1 月以来各月的数据）");
        MonthResult? result = null;
        try
        {
            result = MonthResultJson.Read(bytes);
        }
        catch (FormatException e)
        {
            errors.Add($"{path}: {e.Message}");
        }
        if (errors.Count > 0 || result is null)
        {
            foreach (var e in errors) stderr.WriteLine(e);
            return CliApp.InvalidInput;
        }
        var stamp = new DocumentStamp(runId ?? "file-" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..12], at, sample);
        var documents = MonthDocuments.RenderAll(result, stamp, Environment.ProcessorCount);
        foreach (var d in documents) AtomicFile.Write(Path.Combine(outDir, d.Path), d.Document.Pdf);
        if (zip) AtomicFile.Write(Path.Combine(outDir, "documents.zip"), DocumentSet.Zip(documents, stamp));
        foreach (var d in documents)
            foreach (var m in d.Document.Missing)
                stderr.WriteLine($"{d.Path}: 字体缺字 {m}，已印为 □");
        stdout.WriteLine($"已生成 1 份月通报、{documents.Length - 1} 份单位月度监测页（{result.Period.ToChinese()}，通报规则 {result.Monitor.Id}）：{outDir}"
                         + (zip ? "，并打包为 documents.zip" : ""));
        return CliApp.Ok;
    }

    /// <summary>
    /// The <c>--sources</c> files of a year's result: each must be one of the publications the result read (its period and
    /// SHA-256 among the result's <c>sources</c>); an error names the file otherwise.
    /// </summary>
    private static List<BaiQianWan.Assess.Rules.Annual.Publication> ReadSources(string[] paths, EvaluationResult? result, List<string> errors)
    {
        var read = new List<BaiQianWan.Assess.Rules.Annual.Publication>();
        if (paths.Length == 0 || result is null) return read;
        if (!AnnualDocuments.IsAnnual(result))
        {
            errors.Add($"--sources: 只用于年度结果（期间 YYYY），这里的结果是 {result.Period}");
            return read;
        }
        var recorded = result.Sources.IsDefault ? [] : result.Sources;
        foreach (var path in paths)
        {
            if (ReadBytes(path) is not { } bytes)
            {
                errors.Add($"{path}: 无法读取文件");
                continue;
            }
            try
            {
                var p = BaiQianWan.Assess.Rules.Annual.Publication.Read(bytes);
                if (!recorded.Any(s => s.Period == p.Period && string.Equals(s.Sha256, p.Sha256, StringComparison.OrdinalIgnoreCase)))
                    errors.Add($"{path}: 不是 {result.Period} 的结果读取的公布结果（{p.Period}，SHA-256 {p.Sha256[..12]}；结果读取的是 " +
                               $"{(recorded.IsEmpty ? "无" : string.Join("、", recorded.Select(s => $"{s.Period} {s.Sha256[..Math.Min(12, s.Sha256.Length)]}")))}）");
                else if (read.Any(r => r.Period == p.Period)) errors.Add($"{path}: {p.Period} 的公布结果给了两次");
                else read.Add(p);
            }
            catch (FormatException e)
            {
                errors.Add($"{path}: {e.Message}");
            }
        }
        return read;
    }

    /// <summary>The file's bytes, or null when it cannot be read (the reader of quarterly results then says why).</summary>
    private static byte[]? ReadBytes(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether the JSON is a month's results: an object whose <c>kind</c> is <c>monitor</c> (monitor.md §3).</summary>
    private static bool IsMonth(byte[] bytes)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(bytes);
            return doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                   && doc.RootElement.TryGetProperty("kind", out var kind) && kind.ValueKind == System.Text.Json.JsonValueKind.String
                   && kind.GetString() == "monitor";
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
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
