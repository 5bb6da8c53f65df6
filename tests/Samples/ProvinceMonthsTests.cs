using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BaiQianWan.Assess.Cli;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Tests.Oracle;

namespace BaiQianWan.Assess.Tests.Samples;

/// <summary>
/// The generated province's month data (months.csv, 2025-01 … 2025-09): deterministic, cumulative, annual targets
/// repeated, plans on one indicator per level, the planted lagging counties, skipped months and gaps; and the sample
/// monitors lit on it through <c>cli generate</c> and <c>cli monitor</c>, the counts asserted and the county's lights
/// checked cell by cell against the independent monitor oracle.
/// </summary>
public sealed class ProvinceMonthsTests : IClassFixture<ProvinceMonthsTests.Generated>
{
    /// <summary>The default province's files, generated once through the CLI into a temporary folder.</summary>
    public sealed class Generated : IDisposable
    {
        public Generated()
        {
            Directory = System.IO.Directory.CreateTempSubdirectory("bqw-months-").FullName;
            var stdout = new StringWriter();
            Code = CliApp.Run(["generate", "--out", Directory], stdout, new StringWriter());
            Stdout = stdout.ToString();
            Months = ProvinceGenerator.GenerateMonths(new ProvinceOptions());
            Units = ProvinceGenerator.Generate(new ProvinceOptions()).Units;
        }

        public string Directory { get; }
        public int Code { get; }
        public string Stdout { get; }
        public IReadOnlyList<Observation> Months { get; }
        public IReadOnlyList<Unit> Units { get; }

        public string File(string name) => Path.Combine(Directory, name);

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
    }

    private readonly Generated _g;

    public ProvinceMonthsTests(Generated generated) => _g = generated;

    [Fact]
    public void Generate_writes_the_month_file_and_the_sample_monitors_beside_the_quarterly_files()
    {
        Assert.Equal(0, _g.Code);
        Assert.Contains($"月度数据（2025-01 至 2025-09，{_g.Months.Count} 条）：months.csv；月通报规则：county-monthly.yaml、town-monthly.yaml", _g.Stdout);
        var lines = File.ReadAllLines(_g.File("months.csv"));
        Assert.Equal("unit,indicator,period,actual,target,baseline,plan", lines[0]);
        Assert.Equal(_g.Months.Count + 1, lines.Length);
        Assert.Equal(SampleRulesets.CountyMonthly, File.ReadAllText(_g.File("county-monthly.yaml")));
        Assert.Equal(SampleRulesets.TownMonthly, File.ReadAllText(_g.File("town-monthly.yaml")));
        // The quarterly file has no month rows: the months are a file of their own.
        Assert.DoesNotContain(File.ReadLines(_g.File("observations.csv")).Skip(1), l => l.Split(',')[2].Contains('-'));
    }

    [Fact]
    public void The_months_are_deterministic_from_the_seed_and_another_seed_gives_other_figures()
    {
        Assert.Equal(_g.Months, ProvinceGenerator.GenerateMonths(new ProvinceOptions()));
        var other = ProvinceGenerator.GenerateMonths(new ProvinceOptions(Seed: 7));
        Assert.NotEqual(_g.Months.Select(o => o.Actual), other.Select(o => o.Actual));
    }

    [Fact]
    public void Every_row_is_a_2025_month_up_to_september_ordered_by_period_unit_and_indicator()
    {
        Assert.All(_g.Months, o => Assert.True(o.Period.IsMonth && o.Period.Year == 2025 && o.Period.Month is >= 1 and <= 9, o.Period.ToString()));
        var keys = _g.Months.Select(o => (o.Period, o.Unit, o.Indicator)).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        for (var i = 1; i < keys.Count; i++)
        {
            var (a, b) = (keys[i - 1], keys[i]);
            var order = a.Period.CompareTo(b.Period) is var p and not 0 ? p
                : string.CompareOrdinal(a.Unit, b.Unit) is var u and not 0 ? u : string.CompareOrdinal(a.Indicator, b.Indicator);
            Assert.True(order < 0, $"row {i}: {a} then {b}");
        }
    }

    [Fact]
    public void Each_level_reports_its_monitor_s_indicators_and_only_the_planned_indicator_has_plans()
    {
        var levelOf = _g.Units.ToDictionary(u => u.Code, u => u.Level);
        Assert.Equal(["energy", "fai", "gdp", "industry", "key_projects", "revenue"],
            _g.Months.Where(o => levelOf[o.Unit] == UnitLevel.County).Select(o => o.Indicator).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(["t_collective", "t_fai", "t_industry", "t_invest_plan", "t_sewage", "t_tax"],
            _g.Months.Where(o => levelOf[o.Unit] == UnitLevel.Town).Select(o => o.Indicator).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(["key_projects", "t_invest_plan"], _g.Months.Where(o => o.Plan is not null).Select(o => o.Indicator).Distinct().Order(StringComparer.Ordinal));
        Assert.All(_g.Months.Where(o => o.Indicator is "key_projects" or "t_invest_plan"), o => Assert.NotNull(o.Plan));
    }

    [Fact]
    public void Amounts_and_plans_are_cumulative_and_the_annual_target_is_the_same_every_month()
    {
        foreach (var series in _g.Months.GroupBy(o => (o.Unit, o.Indicator)))
        {
            var rows = series.OrderBy(o => o.Period).ToList();
            var targets = rows.Where(o => o.Target is not null).Select(o => o.Target).Distinct().ToList();
            Assert.True(targets.Count == 1, $"{series.Key}: targets {string.Join(" ", targets)}");
            if (series.Key.Indicator is "energy" or "gdp" or "t_collective" or "t_sewage") continue; // rates and levels
            for (var i = 1; i < rows.Count; i++)
            {
                Assert.True(rows[i].Actual >= rows[i - 1].Actual, $"{series.Key} {rows[i].Period}: {rows[i].Actual} < {rows[i - 1].Actual}");
                Assert.True(rows[i].Plan is null || rows[i].Plan >= rows[i - 1].Plan, $"{series.Key} {rows[i].Period}: plan falls");
            }
        }
    }

    [Fact]
    public void The_planted_flaws_are_there_lagging_counties_skipped_months_a_blank_target_and_a_new_street()
    {
        var lagging = ProvinceGenerator.LaggingCounties(new ProvinceOptions());
        Assert.Equal(8, lagging.Count);
        Assert.All(lagging, code => Assert.Equal(UnitLevel.County, _g.Units.Single(u => u.Code == code).Level));

        // Units that skip a whole month between March and August (not counting the new street's first quarter).
        var monthsOf = _g.Months.GroupBy(o => o.Unit).ToDictionary(g => g.Key, g => g.Select(o => o.Period.Month).Distinct().Order().ToList());
        var skipping = monthsOf.Where(p => p.Value.Count == 8).ToList();
        Assert.Equal(25, skipping.Count);
        Assert.All(skipping, p => Assert.InRange(Enumerable.Range(1, 9).Except(p.Value).Single(), 3, 8));
        var newStreet = Assert.Single(monthsOf, p => p.Value.SequenceEqual([4, 5, 6, 7, 8, 9])).Key;
        Assert.All(_g.Months.Where(o => o.Unit == newStreet), o => Assert.Null(o.Baseline));

        // One county leaves its investment target blank from July on.
        var blank = _g.Months.Where(o => o.Target is null).ToList();
        Assert.Equal([7, 8, 9], blank.Select(o => o.Period.Month));
        Assert.All(blank, o => Assert.Equal("fai", o.Indicator));
        Assert.Single(blank.Select(o => o.Unit).Distinct());
    }

    private JsonElement Monitor(string level, string month)
    {
        var output = Path.Combine(_g.Directory, $"{level}-{month}.json");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApp.Run(["monitor", "--units", _g.File("units.csv"), "--observations", _g.File("months.csv"),
            "--monitor", _g.File($"{level}-monthly.yaml"), "--month", month, "--out", output], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        return JsonDocument.Parse(File.ReadAllBytes(output)).RootElement;
    }

    private static Dictionary<string, int> Counts(JsonElement result)
    {
        var counts = new Dictionary<string, int> { ["red"] = 0, ["yellow"] = 0, ["green"] = 0, ["missing"] = 0 };
        foreach (var unit in result.GetProperty("units").EnumerateArray())
            foreach (var c in unit.GetProperty("counts").EnumerateObject()) counts[c.Name] += c.Value.GetInt32();
        return counts;
    }

    [Fact]
    public void The_county_monitor_on_september_lights_every_colour_and_names_the_lagging_counties_red()
    {
        var result = Monitor("county", "2025-09");

        Assert.Equal(120, result.GetProperty("units").GetArrayLength());
        Assert.Equal(new Dictionary<string, int> { ["red"] = 85, ["yellow"] = 21, ["green"] = 613, ["missing"] = 1 }, Counts(result));
        var units = result.GetProperty("units").EnumerateArray().ToDictionary(u => u.GetProperty("code").GetString()!);
        foreach (var code in ProvinceGenerator.LaggingCounties(new ProvinceOptions()).Where(units.ContainsKey))
        {
            var lights = units[code].GetProperty("indicators").EnumerateArray().Select(i => i.GetProperty("light").GetString()).ToList();
            Assert.True(lights.Count(l => l == "red") >= 4, $"{code}: {string.Join(" ", lights)}");
        }
        // Escalation lights some units red that their own month would have lit yellow.
        var escalated = units.Values.SelectMany(u => u.GetProperty("indicators").EnumerateArray())
            .Count(i => i.GetProperty("light").GetString() == "red" && i.GetProperty("plainLight").GetString() == "yellow");
        Assert.Equal(58, escalated);
        Assert.Equal("no target", units.Values.SelectMany(u => u.GetProperty("indicators").EnumerateArray())
            .Single(i => i.GetProperty("missing").ValueKind == JsonValueKind.String).GetProperty("missing").GetString());
    }

    [Fact]
    public void The_county_lights_of_every_month_agree_with_the_independent_oracle()
    {
        var yaml = BlockStyle(File.ReadAllText(_g.File("county-monthly.yaml")));
        var units = File.ReadAllText(_g.File("units.csv"));
        var observations = File.ReadAllText(_g.File("months.csv"));
        foreach (var m in new[] { 1, 4, 9 })
        {
            var result = Monitor("county", $"2025-{m:00}");
            var engine = result.GetProperty("units").EnumerateArray()
                .SelectMany(u => u.GetProperty("indicators").EnumerateArray().Select(i => $"{u.GetProperty("code").GetString()} {i.GetProperty("id").GetString()} " +
                    $"{Text(i.GetProperty("light"))} {Text(i.GetProperty("plainLight"))} {Text(i.GetProperty("streak"))} {Text(i.GetProperty("gap"))}"))
                .ToList();
            var model = MonitorOracle.Parse(yaml);
            var oracle = MonitorOracle.Evaluate(yaml, units, observations, 2025, m)
                .SelectMany(u => u.Cells.Select((c, k) => $"{u.Code} {model.Indicators[k].Id} {c.Light ?? "-"} {c.PlainLight ?? "-"} " +
                    $"{(c.Streak is { } s ? s.ToString(CultureInfo.InvariantCulture) : "-")} {(c.Gap is { } g ? g.ToString("0.############", CultureInfo.InvariantCulture) : "-")}"))
                .ToList();
            Assert.Equal(oracle, engine);
        }
    }

    [Fact]
    [Trait("Cost", "Slow")]
    public void The_town_monitor_on_september_lights_every_colour_and_agrees_with_the_oracle()
    {
        var result = Monitor("town", "2025-09");

        Assert.Equal(1607, result.GetProperty("units").GetArrayLength());
        Assert.Equal(new Dictionary<string, int> { ["red"] = 363, ["yellow"] = 398, ["green"] = 8878, ["missing"] = 3 }, Counts(result));
        var yaml = BlockStyle(File.ReadAllText(_g.File("town-monthly.yaml")));
        var oracle = MonitorOracle.Evaluate(yaml, File.ReadAllText(_g.File("units.csv")), File.ReadAllText(_g.File("months.csv")), 2025, 9);
        Assert.Equal(result.GetProperty("units").EnumerateArray().SelectMany(u => u.GetProperty("indicators").EnumerateArray()).Select(i => Text(i.GetProperty("light"))),
            oracle.SelectMany(u => u.Cells).Select(c => c.Light ?? "-"));
    }

    private static string Text(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => "-",
        JsonValueKind.Number => e.GetDecimal().ToString("0.############", CultureInfo.InvariantCulture),
        _ => e.ToString(),
    };

    private static readonly Regex FlowItem = new(@"^(\s*)- \{(.*)\}\s*$");
    private static readonly Regex FlowMap = new(@"^(\s*)(\w+): \{(.*)\}\s*$");
    private static readonly Regex Pair = new(@"\s*(\w+):\s*(""[^""]*""|[^,]+?)\s*(?:,|$)");

    /// <summary>The sample's flow maps (<c>- { id: red, … }</c>, <c>when: { red: … }</c>) written as block maps, which the oracle's own parser reads.</summary>
    private static string BlockStyle(string yaml)
    {
        var lines = new List<string>();
        foreach (var line in yaml.Split('\n'))
        {
            if (FlowItem.Match(line) is { Success: true } item)
            {
                var pairs = Pair.Matches(item.Groups[2].Value).Select(p => $"{p.Groups[1].Value}: {p.Groups[2].Value}").ToList();
                lines.Add($"{item.Groups[1].Value}- {pairs[0]}");
                lines.AddRange(pairs.Skip(1).Select(p => $"{item.Groups[1].Value}  {p}"));
            }
            else if (FlowMap.Match(line) is { Success: true } map)
            {
                lines.Add($"{map.Groups[1].Value}{map.Groups[2].Value}:");
                lines.AddRange(Pair.Matches(map.Groups[3].Value).Select(p => $"{map.Groups[1].Value}  {p.Groups[1].Value}: {p.Groups[2].Value}"));
            }
            else lines.Add(line);
        }
        return string.Join('\n', lines);
    }
}
