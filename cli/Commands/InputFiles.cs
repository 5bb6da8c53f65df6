using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Loading;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary>Reads the CLI's input files, collecting every problem as a <c>FILE:…: message</c> line.</summary>
internal sealed class InputFiles(List<string> errors)
{
    public string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path}: 无法读取文件：{e.Message}");
            return null;
        }
    }

    public RulesetLoadResult? LoadRuleset(string path)
    {
        if (ReadText(path) is not { } yaml) return null;
        var result = RulesetLoader.Load(yaml);
        errors.AddRange(result.Diagnostics.Select(d => d.Format(path)));
        return result;
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
        var unitsText = ReadText(unitsPath);
        var observationsText = ReadText(observationsPath);
        if (unitsText is null || observationsText is null) return null;
        var units = DataFiles.ReadUnits(unitsText, unitsPath);
        errors.AddRange(units.Errors.Select(e => e.ToString()));
        if (!units.IsValid) return null;
        var codes = units.Rows.Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        var observations = DataFiles.ReadObservations(observationsText, observationsPath, codes);
        errors.AddRange(observations.Errors.Select(e => e.ToString()));
        return observations.IsValid ? new Dataset(units.Rows, observations.Rows) : null;
    }
}
