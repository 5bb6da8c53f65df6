using System.Text.Json;
using System.Text.RegularExpressions;
using BaiQianWan.Assess.Cli;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Tests.Functions;

namespace BaiQianWan.Assess.Tests.Samples;

/// <summary>
/// The worked examples of docs/operators.md, section "Months (月通报)", run as written: the files they show are
/// written, their <c>baiqianwan</c> commands run in process, and what they print and state is compared with the
/// output and the results JSON. A change of the engine, the samples or the docs that makes them disagree fails here.
/// </summary>
public sealed class MonthDocsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-monthdocs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly Regex Fence = new(@"^```(\w*)\n(.*?)^```\n", RegexOptions.Multiline | RegexOptions.Singleline);

    /// <summary>The fenced blocks (language, text) of the Months section, from its <c>### heading</c> to the next <c>###</c> or <c>##</c>.</summary>
    private static List<(string Lang, string Text)> Blocks(string heading)
    {
        var text = File.ReadAllText(Repository.Path("docs", "operators.md")).Replace("\r\n", "\n");
        var months = text[text.IndexOf("\n## Months (月通报)\n", StringComparison.Ordinal)..];
        months = months[..months.IndexOf("\n## ", 5, StringComparison.Ordinal)];
        var at = months.IndexOf($"\n### {heading}\n", StringComparison.Ordinal);
        Assert.True(at >= 0, $"no '### {heading}' under Months");
        var section = months[(at + 1)..];
        var end = section.IndexOf("\n### ", 4, StringComparison.Ordinal);
        if (end > 0) section = section[..end];
        return [.. Fence.Matches(section).Select(m => (m.Groups[1].Value, m.Groups[2].Value))];
    }

    /// <summary>
    /// Runs the console block's <c>baiqianwan</c> commands that <paramref name="which"/> accepts, with every relative path
    /// inside the test's folder, and checks that each prints the lines shown under it (paths as written).
    /// </summary>
    private void RunConsole(string block, Func<string, bool> which)
    {
        var lines = block.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("$ baiqianwan ", StringComparison.Ordinal) && which(l));
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("$ baiqianwan ", StringComparison.Ordinal) || !which(lines[i])) continue;
            var command = lines[i]["$ baiqianwan ".Length..];
            if (command.IndexOf('#') is var hash and > 0) command = command[..hash];
            var args = command.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select((a, k) => k > 0 && !a.StartsWith("--", StringComparison.Ordinal) && !Regex.IsMatch(a, @"^\d{4}-\d{2}(-\d{2}T.*)?$") ? Path.Combine(_dir, a) : a)
                .ToArray();
            var expected = lines.Skip(i + 1).TakeWhile(l => !l.StartsWith("$ ", StringComparison.Ordinal) && l.Length > 0).ToList();
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var code = CliApp.Run(args, stdout, stderr);
            Assert.True(code == 0, $"{command}: exit {code}\n{stderr}");
            var printed = stdout.ToString().Replace(_dir + Path.DirectorySeparatorChar, "", StringComparison.Ordinal).Replace(_dir, ".", StringComparison.Ordinal)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r'));
            Assert.Equal(expected, printed);
        }
    }

    private static JsonElement Indicator(JsonElement results, string unit, string indicator) =>
        results.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("code").GetString() == unit)
            .GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("id").GetString() == indicator);

    private static decimal? Number(JsonElement cell, string name) =>
        cell.GetProperty(name).ValueKind == JsonValueKind.Null ? null : cell.GetProperty(name).GetDecimal();

    [Fact]
    public void The_two_county_example_prints_what_it_shows_and_lights_as_its_prose_says()
    {
        var blocks = Blocks("Worked example");
        Assert.Equal(["csv", "yaml", "csv", "console", "text", "console"], blocks.Select(b => b.Lang));
        File.WriteAllText(Path.Combine(_dir, "units.csv"), blocks[0].Text);
        File.WriteAllText(Path.Combine(_dir, "monitor.yaml"), blocks[1].Text);
        File.WriteAllText(Path.Combine(_dir, "observations.csv"), blocks[2].Text);

        RunConsole(blocks[3].Text, line => line.Contains(" monitor ", StringComparison.Ordinal));

        var results = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_dir, "month-2025-03.json"))).RootElement;
        Assert.Equal(25m, results.GetProperty("indicators")[0].GetProperty("pace").GetDecimal());
        // 甲县: 26 / 100 = 26% against 25%, +1, green for 3 months; key projects 10 of a plan of 10, green.
        var a = Indicator(results, "440101", "fai");
        Assert.Equal((26m, 25m, 1m, "green", 3), (Number(a, "progress")!.Value, Number(a, "pace")!.Value, Number(a, "gap")!.Value,
            a.GetProperty("light").GetString(), a.GetProperty("streak").GetInt32()));
        Assert.Equal("green", Indicator(results, "440101", "key_projects").GetProperty("light").GetString());
        // 乙县: 21 / 120 = 17.5%, −7.5, yellow on its own, red by escalation, red for 2 months; key projects 20% against
        // a plan of 25%, −5, yellow on its own, red by escalation.
        var b = Indicator(results, "440102", "fai");
        Assert.Equal((17.5m, -7.5m, "yellow", "red", 2), (Number(b, "progress")!.Value, Number(b, "gap")!.Value,
            b.GetProperty("plainLight").GetString(), b.GetProperty("light").GetString(), b.GetProperty("streak").GetInt32()));
        var k = Indicator(results, "440102", "key_projects");
        Assert.Equal((20m, 25m, -5m, "yellow", "red"), (Number(k, "progress")!.Value, Number(k, "pace")!.Value, Number(k, "gap")!.Value,
            k.GetProperty("plainLight").GetString(), k.GetProperty("light").GetString()));
    }

    private void Generate(List<(string Lang, string Text)> blocks) =>
        RunConsole(blocks[0].Text, line => line.Contains(" generate ", StringComparison.Ordinal));

    [Fact]
    public void The_sample_province_s_county_month_prints_what_it_shows_and_each_quoted_explanation_is_the_unit_s()
    {
        var blocks = Blocks("The sample province's months, worked through");
        Assert.Equal(["console", "text"], blocks.Select(b => b.Lang));
        Generate(blocks);
        RunConsole(blocks[0].Text, line => line.Contains("county-monthly.yaml", StringComparison.Ordinal));

        var results = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_dir, "county-2025-09.json"))).RootElement;
        var quoted = blocks[1].Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, quoted.Length);
        foreach (var line in quoted)
        {
            var parts = line.Split(' ', 3);
            Assert.Equal(parts[2], Indicator(results, parts[0], parts[1]).GetProperty("explain").GetString());
        }
        // The prose: 980802's investment is plain red, red since March; 980102's is escalated; its key projects were green in August.
        var lagging = Indicator(results, "980802", "fai");
        Assert.Equal(("red", 7), (lagging.GetProperty("plainLight").GetString(), lagging.GetProperty("streak").GetInt32()));
        Assert.Equal("yellow", Indicator(results, "980102", "fai").GetProperty("plainLight").GetString());
        var august = Indicator(results, "980102", "key_projects").GetProperty("history")[7];
        Assert.Equal((8, 2.15m, "green"), (august.GetProperty("month").GetInt32(), august.GetProperty("gap").GetDecimal(), august.GetProperty("plainLight").GetString()));
        Assert.Contains("980802", ProvinceGenerator.LaggingCounties(new ProvinceOptions()));
        Assert.Equal(8, ProvinceGenerator.LaggingCounties(new ProvinceOptions()).Count);
    }

    [Fact]
    [Trait("Cost", "Slow")]
    public void The_sample_province_s_town_month_prints_what_it_shows()
    {
        var blocks = Blocks("The sample province's months, worked through");
        Generate(blocks);
        RunConsole(blocks[0].Text, line => line.Contains("town-monthly.yaml", StringComparison.Ordinal));
    }
}
