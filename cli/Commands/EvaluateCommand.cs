using System.CommandLine;
using BaiQianWan.Assess.Rules.Annual;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Engine;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary><c>evaluate</c>: units + observations + ruleset files → results JSON, with no store.</summary>
internal static class EvaluateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var units = new Option<string>("--units") { Description = "units.csv", Required = true };
        var observations = new Option<string>("--observations") { Description = "observations.csv", Required = true };
        var ruleset = new Option<string>("--ruleset") { Description = "规则集 YAML", Required = true };
        var period = new Option<string>("--period") { Description = "考核期间，如 2025Q3 或 2025", Required = true };
        var output = new Option<string>("--out") { Description = "结果 JSON 文件", Required = true };
        var trace = new Option<string?>("--trace") { Description = "规则触发记录（JSON Lines，每次规则触发的每个结果一行）" };
        var sources = new Option<string[]>("--sources")
        {
            Description = "年度考核（cadence: year）读取的公布结果 JSON：各季度的考核结果和各月的月度通报（kind: monitor），每期一个",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("evaluate", "按规则集对数据文件进行考核评价，写出结果 JSON") { units, observations, ruleset, period, output, trace, sources };
        command.SetAction(parse => Run(parse.GetValue(units)!, parse.GetValue(observations)!, parse.GetValue(ruleset)!,
            parse.GetValue(period)!, parse.GetValue(output)!, stdout, stderr, parse.GetValue(trace), parse.GetValue(sources)));
        return command;
    }

    /// <summary>A results file read as a source may be this large (a town level's quarter is a few MiB).</summary>
    private const long MaxSourceBytes = 256L << 20;

    public static int Run(string unitsPath, string observationsPath, string rulesetPath, string periodText, string outPath,
        TextWriter stdout, TextWriter stderr, string? tracePath = null, IReadOnlyList<string>? sourcePaths = null)
    {
        var errors = new List<string>();
        if (!Period.TryParse(periodText, out var period)) errors.Add($"--period: '{periodText}' 不是期间（应为 YYYYQn 或 YYYY）");
        var files = new InputFiles(errors);
        var loaded = files.LoadRuleset(rulesetPath);
        var data = files.LoadDataset(unitsPath, observationsPath);
        var publications = ReadSources(sourcePaths ?? [], errors);
        if (errors.Count > 0 || loaded?.Ruleset is null || data is null)
        {
            foreach (var e in errors) stderr.WriteLine(e);
            return CliApp.InvalidInput;
        }
        // (annual §1) a ruleset evaluates only periods of its cadence.
        if (Cadences.Problem(loaded.Ruleset, period) is { } cadenceProblem)
        {
            stderr.WriteLine($"--period: {cadenceProblem}");
            return CliApp.InvalidInput;
        }
        if (publications.Count > 0 && loaded.Ruleset.Cadence != Rules.Model.Cadence.Year)
        {
            stderr.WriteLine($"--sources: 规则集 {loaded.Ruleset.Id} 是季度考核，不读取公布结果；--sources 只用于 cadence: year 的规则集");
            return CliApp.InvalidInput;
        }
        if (loaded.Ruleset.Cadence == Rules.Model.Cadence.Year)
        {
            // (annual §2) the publications become derived rows and inputs of the year, recorded in the hash and results.
            var (joined, sourceProblems) = SourceData.Join(loaded.Ruleset, data, period, publications);
            if (joined is null)
            {
                foreach (var p in sourceProblems) stderr.WriteLine(p);
                return CliApp.InvalidInput;
            }
            data = joined;
        }

        var problems = DatasetCheck.Problems(loaded.Ruleset, data, period);
        if (problems.Count > 0)
        {
            foreach (var p in problems) stderr.WriteLine($"{observationsPath}: {p}");
            return CliApp.InvalidInput;
        }
        if (files.CompileRuleset(rulesetPath, loaded) is not { } compiled)
        {
            foreach (var e in errors) stderr.WriteLine(e);
            return CliApp.InvalidInput;
        }
        EvaluationResult result;
        var trace = tracePath is null ? null : new TraceWriter();
        try
        {
            result = trace is null ? Evaluator.Evaluate(compiled, data, period) : Evaluator.Evaluate(compiled, data, period, null, trace.Add);
        }
        catch (RuleEvaluationException e)
        {
            // A rule failed in its action: name the rule, the unit and the ruleset line; write nothing.
            stderr.WriteLine($"{rulesetPath}:{(e.Position.Line > 0 ? e.Position.ToString() : "1:1")}: {e.Message}");
            return CliApp.InvalidInput;
        }
        AtomicFile.Write(outPath, ResultsJson.Serialize(result));
        if (trace is not null) AtomicFile.Write(tracePath!, trace.Bytes);
        var incomplete = result.Units.Count(u => u.Incomplete);
        stdout.WriteLine($"已评价 {result.Units.Length} 个单位（{period}，规则集 {loaded.Ruleset.Id}），" +
                         $"跳过 {result.Skipped.Length} 个，数据不全 {incomplete} 个；结果写入 {outPath}");
        if (!result.UnknownIndicators.IsEmpty)
            stdout.WriteLine($"规则集中没有的指标：{string.Join(", ", result.UnknownIndicators)}");
        if (!result.Sources.IsDefault)
            stdout.WriteLine(result.Sources.IsEmpty ? "未读取任何公布结果（数据来源没有数据）"
                : $"读取公布结果 {result.Sources.Length} 期：{string.Join("、", result.Sources.Select(s => s.Period.ToString()))}");
        return CliApp.Ok;
    }

    /// <summary>Reads each <c>--sources</c> file as a publication; a file that cannot be read or is not results JSON is an error naming it.</summary>
    private static List<(string Name, Publication Publication)> ReadSources(IReadOnlyList<string> paths, List<string> errors)
    {
        var result = new List<(string, Publication)>();
        foreach (var path in paths)
        {
            byte[] bytes;
            try
            {
                var info = new FileInfo(path);
                if (info.Exists && info.Length > MaxSourceBytes)
                {
                    errors.Add($"{path}: 文件有 {info.Length} 字节，超过 {MaxSourceBytes >> 20} MiB 的上限，不予处理");
                    continue;
                }
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add($"{path}: 无法读取文件：{e.Message}");
                continue;
            }
            try
            {
                result.Add((path, Publication.Read(bytes)));
            }
            catch (FormatException e)
            {
                errors.Add($"{path}: 不是考核结果或月度通报的结果 JSON：{e.Message}");
            }
        }
        return result;
    }
}
