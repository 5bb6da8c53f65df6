using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Loading;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary>Reads the CLI's input files, collecting every problem as a <c>FILE:…: message</c> line.</summary>
internal sealed class InputFiles(List<string> errors)
{
    private byte[]? ReadBytes(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > DataLimits.MaxFileBytes)
            {
                errors.Add($"{path}:1:-: 文件有 {info.Length} 字节，超过 {DataLimits.MaxFileBytes / (1 << 20)} MiB 的上限，不予处理");
                return null;
            }
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path}: 无法读取文件：{e.Message}");
            return null;
        }
    }

    /// <summary>A data file's text, strictly UTF-8: a bad byte is an error at its row and column.</summary>
    public string? ReadDataText(string path)
    {
        if (ReadBytes(path) is not { } bytes) return null;
        var text = DataText.Decode(bytes, path, out var error);
        if (error is not null) errors.Add(error.ToString());
        return text;
    }

    /// <summary>A ruleset's text, strictly UTF-8: a bad byte is an error at its line and column.</summary>
    public string? ReadYamlText(string path)
    {
        if (ReadBytes(path) is not { } bytes) return null;
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            var prefix = Encoding.UTF8.GetString(bytes, 0, Math.Max(0, e.Index));
            var line = prefix.Count(c => c == '\n') + 1;
            var column = prefix.Length - (prefix.LastIndexOf('\n') + 1) + 1;
            errors.Add($"{path}:{line}:{column}: 不是 UTF-8 编码（请另存为 UTF-8）");
            return null;
        }
    }

    public RulesetLoadResult? LoadRuleset(string path)
    {
        if (ReadYamlText(path) is not { } yaml) return null;
        var result = RulesetLoader.Load(yaml);
        errors.AddRange(result.Diagnostics.Select(d => d.Format(path)));
        return result;
    }

    /// <summary>A monitor (<c>kind: monitor</c>) loaded and validated, its diagnostics added as <c>FILE:LINE:COL: CODE: message</c>.</summary>
    public Rules.Monitors.MonitorLoadResult? LoadMonitor(string path)
    {
        if (ReadYamlText(path) is not { } yaml) return null;
        var result = Rules.Monitors.MonitorLoader.Load(yaml);
        errors.AddRange(result.Diagnostics.Select(d => d.Format(path)));
        return result;
    }

    /// <summary>The loaded monitor compiled into NRules rules, or null with an error line.</summary>
    public Rules.Monitors.CompiledMonitor? CompileMonitor(string path, Rules.Monitors.MonitorLoadResult loaded)
    {
        if (loaded.Monitor is null) return null;
        try
        {
            return Rules.Monitors.CompiledMonitor.Compile(loaded.Monitor, loaded.Sha256);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or NRules.RuleCompilationException)
        {
            errors.Add($"{path}:1:1: 通报规则无法编译为 NRules 规则：{e.Message}");
            return null;
        }
    }

    /// <summary>
    /// The loaded ruleset compiled into NRules rules, or null with an error line: validation accepts exactly the
    /// rulesets NRules compiles.
    /// </summary>
    public CompiledRuleset? CompileRuleset(string path, RulesetLoadResult loaded)
    {
        if (loaded.Ruleset is null) return null;
        try
        {
            return CompiledRuleset.Compile(loaded.Ruleset, loaded.Sha256);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or NRules.RuleCompilationException)
        {
            errors.Add($"{path}:1:1: 规则集无法编译为 NRules 规则：{e.Message}");
            return null;
        }
    }

    public Dataset? LoadDataset(string unitsPath, string observationsPath)
    {
        var unitsText = ReadDataText(unitsPath);
        var observationsText = ReadDataText(observationsPath);
        if (unitsText is null || observationsText is null) return null;
        var units = DataFiles.ReadUnits(unitsText, unitsPath);
        errors.AddRange(units.Errors.Select(e => e.ToString()));
        if (!units.IsValid) return null;
        var codes = units.Rows.Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        // Files evaluated as they are may carry the ledger's figures (from `ledger observations`); uploads may not.
        var observations = DataFiles.ReadObservations(observationsText, observationsPath, codes, derivedAllowed: true);
        errors.AddRange(observations.Errors.Select(e => e.ToString()));
        return observations.IsValid ? new Dataset(units.Rows, observations.Rows) : null;
    }
}
