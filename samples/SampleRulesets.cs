namespace BaiQianWan.Assess.Samples;

/// <summary>
/// The sample rulesets shipped with the samples assembly as embedded resources: a county ruleset
/// (<c>county-2025</c>) and a town ruleset (<c>town-2025</c>), written to the scoring contract and
/// commented in Chinese for rule authors.
/// </summary>
public static class SampleRulesets
{
    /// <summary>File name of the county ruleset in <c>samples/rulesets/</c>.</summary>
    public const string CountyFileName = "county.yaml";

    /// <summary>File name of the town ruleset in <c>samples/rulesets/</c>.</summary>
    public const string TownFileName = "town.yaml";

    /// <summary>Manifest resource name of the county ruleset.</summary>
    public const string CountyResourceName = "rulesets/" + CountyFileName;

    /// <summary>Manifest resource name of the town ruleset.</summary>
    public const string TownResourceName = "rulesets/" + TownFileName;

    /// <summary>File name of the v3 town ruleset (<c>town-v3-2025</c>), the rule language v3 sample the bench times.</summary>
    public const string TownV3FileName = "town-v3.yaml";

    /// <summary>YAML text of the v3 town ruleset (<c>town-v3-2025</c>): steps, dimension caps and factor, parentAvg,
    /// levelAvg, an excluding veto and level-scope grades over the same data as <see cref="Town"/>.</summary>
    public static string TownV3 => Read(TownV3FileName);

    /// <summary>File name of the v3 city ruleset (<c>city-v3-2025</c>, <c>level: city</c>: 地级市); its data files are in
    /// <c>samples/rulesets/city-v3/</c> (the generated province has no city rows).</summary>
    public const string CityV3FileName = "city-v3.yaml";

    /// <summary>YAML text of the v3 city ruleset (<c>city-v3-2025</c>).</summary>
    public static string CityV3 => Read(CityV3FileName);

    /// <summary>File name of the county ruleset with the task ledger's figures (<c>county-ledger-2025</c>): 按期销号率
    /// (<c>ledger_closed_on_time</c>, completion) in place of 民生实事, and a deduction of 1 per overdue task (<c>ledger_overdue</c>).</summary>
    public const string CountyLedgerFileName = "county-ledger.yaml";

    /// <summary>YAML text of the county ruleset with the task ledger's figures (<c>county-ledger-2025</c>).</summary>
    public static string CountyLedger => Read(CountyLedgerFileName);

    /// <summary>File name of the sample annual county ruleset (年考评, <c>county-annual-2025</c>, <c>cadence: year</c>): 平时考核 30%
    /// from the published quarters, 年终考核 70% from the fourth quarter, red lights and overdue tasks as deductions, a level-scope grade quota.</summary>
    public const string CountyAnnualFileName = "county-annual.yaml";

    /// <summary>YAML text of the sample annual county ruleset (<c>county-annual-2025</c>).</summary>
    public static string CountyAnnual => Read(CountyAnnualFileName);

    /// <summary>The resource names of all sample rulesets, county first.</summary>
    public static IReadOnlyList<string> ResourceNames => [CountyResourceName, TownResourceName];

    /// <summary>YAML text of the county ruleset (<c>county-2025</c>).</summary>
    public static string County => Read(CountyResourceName);

    /// <summary>YAML text of the town ruleset (<c>town-2025</c>).</summary>
    public static string Town => Read(TownResourceName);

    /// <summary>File name of the sample county monitor (月通报, <c>kind: monitor</c>).</summary>
    public const string CountyMonthlyFileName = "county-monthly.yaml";

    /// <summary>File name of the sample town monitor (月通报, <c>kind: monitor</c>).</summary>
    public const string TownMonthlyFileName = "town-monthly.yaml";

    /// <summary>The sample monitors' file names, county first.</summary>
    public static IReadOnlyList<string> MonitorFileNames => [CountyMonthlyFileName, TownMonthlyFileName];

    /// <summary>YAML text of the sample county monitor (<c>county-monthly</c>).</summary>
    public static string CountyMonthly => Read(CountyMonthlyFileName);

    /// <summary>YAML text of the sample town monitor (<c>town-monthly</c>).</summary>
    public static string TownMonthly => Read(TownMonthlyFileName);

    /// <summary>YAML text of a sample ruleset by resource name (<c>rulesets/county.yaml</c>) or file name (<c>county.yaml</c>).</summary>
    /// <exception cref="ArgumentException">No sample ruleset has that name.</exception>
    public static string Read(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var resource = name.Contains('/', StringComparison.Ordinal) ? name : "rulesets/" + name;
        using var stream = typeof(SampleRulesets).Assembly.GetManifestResourceStream(resource)
            ?? throw new ArgumentException($"No sample ruleset named '{name}'.", nameof(name));
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
