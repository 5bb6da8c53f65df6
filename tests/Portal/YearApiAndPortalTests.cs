using System.Net;
using System.Text.Json;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Functions;
using BaiQianWan.Assess.Tests.Store;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// Issue 25 item 2 through the real app: the year (period <c>2025</c>) is started like a quarter by <c>POST /api/evaluations</c>
/// and by the portal's 开始 form, evaluated with the level's <c>cadence: year</c> ruleset from the year's published quarters and
/// months, published, and read by a unit (its scorecard, its results) and the office (the rankings); the form refuses a
/// period of the other cadence and a period that is not one, in Chinese, and makes no run.
/// </summary>
/// <remarks>
/// Worked by hand in <see cref="YearRunServiceTests"/> (Q2, Q3, May, June published): totals A1 111.25, A2 105.5, B1 77, B2 90;
/// avg (the quarters' mean) A1 101.25, A2 101, B1 70, B2 80; red lights A1 0, A2 1, B1 2, B2 0 (−0.5 each).
/// </remarks>
public sealed class YearApiAndPortalTests() : PortalAppTest("portal-year")
{
    private const string YearRows = """
        unit,indicator,period,actual,target,baseline
        A1,gdp,2025,10,10,
        A2,gdp,2025,5,10,
        B1,gdp,2025,8,10,
        B2,gdp,2025,10,10,

        """;

    private static byte[] Rows(string csv, string period) => Mini.Bytes(string.Join("\n",
        csv.Replace("\r\n", "\n").Split('\n').Where((line, i) => i == 0 || line.Contains($",{period},", StringComparison.Ordinal))) + "\n");

    private IAssessStore Store => App.Services.GetRequiredService<IAssessStore>();

    /// <summary>The units, the rows, the three rulesets active, and Q2, Q3, May and June run and published through the API.</summary>
    private async Task<Dictionary<string, string>> PrepareAsync(HttpClient office)
    {
        await (await office.PutAsync("/api/units?year=2025&file=units.csv", Api.Csv(Mini.Bytes(Mini.UnitsCsv)))).JsonAsync(HttpStatusCode.OK);
        foreach (var (csv, period) in new[] { (Mini.ObservationsCsv, "2025Q2"), (Mini.ObservationsCsv, "2025Q3"), (MiniMonth.ObservationsCsv, "2025-05"), (MiniMonth.ObservationsCsv, "2025-06") })
            await (await office.PutAsync($"/api/periods/{period}/observations?file={period}.csv", Api.Csv(Rows(csv, period)))).JsonAsync(HttpStatusCode.OK);
        await (await office.PutAsync("/api/periods/2025/observations?file=2025.csv", Api.Csv(Mini.Bytes(YearRows)))).JsonAsync(HttpStatusCode.OK);
        foreach (var (id, yaml) in new[] { ("mini", Mini.RulesetYaml), ("mini-monthly", MiniMonth.MonitorYaml), ("mini-year", YearRunServiceTests.YearYaml) })
        {
            await (await office.PutAsync($"/api/rulesets/{id}", Api.Yaml(yaml))).JsonAsync(HttpStatusCode.Created);
            await (await office.PostAsync($"/api/rulesets/{id}/versions/1/activate", null)).JsonAsync(HttpStatusCode.OK);
        }
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (period, ruleset) in new[] { ("2025Q2", "mini"), ("2025Q3", "mini"), ("2025-05", "mini-monthly"), ("2025-06", "mini-monthly") })
        {
            var accepted = await (await office.PostAsync("/api/evaluations", Api.Json($$"""{"period":"{{period}}","level":"county","ruleset":"{{ruleset}}"}""")))
                .JsonAsync(HttpStatusCode.Accepted);
            var run = await Api.WaitForRunAsync(office, accepted.GetProperty("id").GetString()!);
            Assert.Equal("succeeded", run.GetProperty("status").GetString());
            ids[period] = run.GetProperty("id").GetString()!;
            await (await office.PostAsync($"/api/evaluations/{ids[period]}/publish", null)).JsonAsync(HttpStatusCode.OK);
        }
        return ids;
    }

    /// <summary>The year's stored results as the hand-worked oracle has them, and the publications it read.</summary>
    private async Task AssertTheYearAsync(string runId, Dictionary<string, string> sources)
    {
        var result = (await Store.GetResultsAsync(runId))!;
        Assert.Equal(Period.OfYear(2025), result.Period);
        Assert.Equal([("A1", 111.25m, -0m), ("A2", 105.5m, -0.5m), ("B1", 77m, -1m), ("B2", 90m, 0m)],
            result.Units.OrderBy(u => u.Code, StringComparer.Ordinal).Select(u => (u.Code, u.Total, u.Penalty)));
        Assert.Equal([("A1", 101.25m), ("A2", 101m), ("B1", 70m), ("B2", 80m)],
            result.Units.OrderBy(u => u.Code, StringComparer.Ordinal).Select(u => (u.Code, u.Indicators.Single(i => i.Id == "avg").Actual!.Value)));
        Assert.Equal(sources.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => (s.Key, s.Value)),
            result.Sources.Select(s => (s.Period.ToString(), s.Run!)).OrderBy(s => s.Item1, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Post_evaluations_with_period_2025_runs_the_year_with_the_year_ruleset_and_a_unit_reads_its_published_year()
    {
        using var office = App.Client(App.Token("office"));
        var sources = await PrepareAsync(office);

        var accepted = await (await office.PostAsync("/api/evaluations", Api.Json("""{"period":"2025","level":"county","ruleset":"mini-year"}""")))
            .JsonAsync(HttpStatusCode.Accepted);
        var run = await Api.WaitForRunAsync(office, accepted.GetProperty("id").GetString()!);

        Assert.Equal(("succeeded", "2025", "county", "mini-year", 1),
            (run.GetProperty("status").GetString(), run.GetProperty("period").GetString(), run.GetProperty("level").GetString(),
                run.GetProperty("ruleset").GetString(), run.GetProperty("version").GetInt32()));
        var id = run.GetProperty("id").GetString()!;
        await AssertTheYearAsync(id, sources);

        // A quarterly ruleset asked for the year is refused before any run exists (422, in Chinese).
        var refused = await (await office.PostAsync("/api/evaluations", Api.Json("""{"period":"2025","level":"county","ruleset":"mini"}""")))
            .JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("不能评价 2025（cadence: quarter 只评价季度 YYYYQn）", refused.GetProperty("detail").GetString());
        Assert.Single(await Store.ListRunsAsync(Period.OfYear(2025)));

        // Published, the year is read like a quarter: the office's rankings, a unit's own scorecard and results, not another's.
        using var a2 = App.Client(App.Token("unit", "A2"));
        Assert.Equal(HttpStatusCode.NotFound, (await a2.GetAsync("/api/periods/2025/scorecards/A2.pdf")).StatusCode);
        await (await office.PostAsync($"/api/evaluations/{id}/publish", null)).JsonAsync(HttpStatusCode.OK);

        var rankings = await (await office.GetAsync("/api/periods/2025/rankings?level=county")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("2025", rankings.GetProperty("period").GetString());
        Assert.Equal(["A1 111.25 1", "A2 105.5 2", "B2 90 1", "B1 77 2"],
            rankings.GetProperty("units").EnumerateArray().Select(u => $"{u.GetProperty("code").GetString()} {u.GetProperty("total").GetDecimal()} {u.GetProperty("rank").GetInt32()}"));
        var scorecard = await a2.GetAsync("/api/periods/2025/scorecards/A2.pdf");
        Assert.Equal(HttpStatusCode.OK, scorecard.StatusCode);
        Assert.EndsWith("scorecard A2 甲二县 甲 total=105.5 rank=2/2 grade= previousRank=-\n", TestRenderer.Read(await scorecard.Content.ReadAsByteArrayAsync()));
        Assert.Equal(HttpStatusCode.OK, (await a2.GetAsync("/api/periods/2025/results/A2.xlsx")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await a2.GetAsync("/api/periods/2025/scorecards/A1.pdf")).StatusCode);
        // The unit's portal page of the year's scorecard.
        var page = WebUtility.HtmlDecode(await a2.GetStringAsync("/units/A2/scorecards/2025"));
        Assert.Contains("105.5", page);
        Assert.Equal(HttpStatusCode.Forbidden, (await a2.GetAsync("/units/A1/scorecards/2025")).StatusCode);
    }

    [Fact]
    public async Task The_portal_start_form_accepts_a_year_runs_it_with_the_year_ruleset_and_refuses_the_other_cadence_in_chinese()
    {
        using var office = App.Client(App.Token("office"));
        var sources = await PrepareAsync(office);
        var runs = WebUtility.HtmlDecode(await office.GetStringAsync("/office/runs"));
        // The year ruleset is offered, saying which period it takes; the period field's pattern takes a year.
        Assert.Contains("mini-year@1 · 县（市、区） · 年度考评（期间填年份 YYYY）", runs);
        Assert.Contains("""pattern="[0-9]{4}(Q[1-4]|-(0[1-9]|1[0-2]))?" title="季度 YYYYQn、年度 YYYY 或月份 YYYY-MM""", runs);
        Assert.Matches("^[0-9]{4}(Q[1-4]|-(0[1-9]|1[0-2]))?$", "2025");

        async Task<HttpResponseMessage> StartAsync(string period, string ruleset)
        {
            var token = AntiforgeryToken(await office.GetStringAsync("/office/runs"));
            return await office.PostAsync("/office/runs", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                [Antiforgery.FieldName] = token, ["period"] = period, ["ruleset"] = ruleset,
            }));
        }

        // Refused, nothing run: a quarterly ruleset asked for the year, the year ruleset asked for a quarter, no period at all.
        var quarterly = await StartAsync("2025", "mini");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, quarterly.StatusCode);
        Assert.Contains("mini@1 是季度考核规则集，不能评价 2025（cadence: quarter 只评价季度 YYYYQn）", WebUtility.HtmlDecode(await quarterly.Content.ReadAsStringAsync()));
        var yearly = await StartAsync("2025Q3", "mini-year");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, yearly.StatusCode);
        Assert.Contains("mini-year@1 是年度考评规则集，不能评价 2025Q3（cadence: year 只评价年度 YYYY）", WebUtility.HtmlDecode(await yearly.Content.ReadAsStringAsync()));
        var bad = await StartAsync("2025年", "mini-year");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("'2025年' 不是期间（应为 YYYY-MM、YYYYQn 或 YYYY）", WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()));
        Assert.Empty(await Store.ListRunsAsync(Period.OfYear(2025)));

        var started = await StartAsync("2025", "mini-year");
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var id = started.Headers.Location!.OriginalString.Split('/')[^1];
        var run = await Api.WaitForRunAsync(office, id);
        Assert.Equal(("succeeded", "2025", "mini-year"), (run.GetProperty("status").GetString(), run.GetProperty("period").GetString(), run.GetProperty("ruleset").GetString()));
        await AssertTheYearAsync(id, sources);

        // The run's page, then publish from it; the unit reads its published year.
        var review = WebUtility.HtmlDecode(await office.GetStringAsync($"/office/runs/{id}"));
        Assert.Contains("mini-year@1", review);
        Assert.Contains("111.25", review);
        // The page lists the four publications the year read, each still the period's current one.
        Assert.Equal(sources.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => $"{x.Key} {x.Value} 未变"), SourceRows(review));
        Assert.DoesNotContain("sources-changed", review);
        var token = AntiforgeryToken(review[review.IndexOf($"action=\"/office/runs/{id}/publish\"", StringComparison.Ordinal)..]);
        var published = await office.PostAsync($"/office/runs/{id}/publish", new FormUrlEncodedContent(new Dictionary<string, string> { [Antiforgery.FieldName] = token }));
        Assert.True(published.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther, published.StatusCode.ToString());
        Assert.Equal(id, (await Store.GetPublicationAsync(Period.OfYear(2025), UnitLevel.County))!.RunId);
        using var b1 = App.Client(App.Token("unit", "B1"));
        Assert.EndsWith("scorecard B1 乙一县 乙 total=77 rank=2/2 grade= previousRank=-\n",
            TestRenderer.Read(await b1.GetByteArrayAsync("/units/B1/scorecards/2025/pdf")));

        // 2025Q3 is run and published again after the year: the year is not redone by itself, its page says that source
        // changed (the run it read, the one published now) and the others did not.
        var again = await (await office.PostAsync("/api/evaluations", Api.Json("""{"period":"2025Q3","level":"county","ruleset":"mini"}""")))
            .JsonAsync(HttpStatusCode.Accepted);
        var q3 = (await Api.WaitForRunAsync(office, again.GetProperty("id").GetString()!)).GetProperty("id").GetString()!;
        Assert.NotEqual(sources["2025Q3"], q3);
        await (await office.PostAsync($"/api/evaluations/{q3}/publish", null)).JsonAsync(HttpStatusCode.OK);
        var changed = WebUtility.HtmlDecode(await office.GetStringAsync($"/office/runs/{id}"));
        Assert.Equal(sources.OrderBy(x => x.Key, StringComparer.Ordinal)
                .Select(x => x.Key == "2025Q3" ? $"{x.Key} {x.Value} 已更新：当前发布为 {q3}" : $"{x.Key} {x.Value} 未变"),
            SourceRows(changed));
        Assert.Contains("data-testid=\"sources-changed\"", changed);
        Assert.Equal(id, (await Store.GetPublicationAsync(Period.OfYear(2025), UnitLevel.County))!.RunId);
    }

    [Fact]
    public async Task The_year_runs_json_lists_its_sources_and_says_which_one_is_no_longer_current_after_its_quarter_is_published_again()
    {
        using var office = App.Client(App.Token("office"));
        var sources = await PrepareAsync(office);
        var accepted = await (await office.PostAsync("/api/evaluations", Api.Json("""{"period":"2025","level":"county","ruleset":"mini-year"}""")))
            .JsonAsync(HttpStatusCode.Accepted);
        // Queued, no results yet: no sources.
        Assert.Equal(JsonValueKind.Null, accepted.GetProperty("sources").ValueKind);
        var id = (await Api.WaitForRunAsync(office, accepted.GetProperty("id").GetString()!)).GetProperty("id").GetString()!;

        static List<string> Lines(JsonElement run) =>
            [.. run.GetProperty("sources").EnumerateArray().Select(s =>
                $"{s.GetProperty("period").GetString()} {s.GetProperty("run").GetString()} {s.GetProperty("currentRun").GetString() ?? "null"} {s.GetProperty("current").GetBoolean()}")
                .Order(StringComparer.Ordinal)];

        // Each of the four publications the year read is still its period's current one, with the hash the year recorded.
        var year = await (await office.GetAsync($"/api/evaluations/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(sources.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => $"{x.Key} {x.Value} {x.Value} True"), Lines(year));
        var recorded = (await Store.GetResultsAsync(id))!.Sources;
        Assert.Equal(recorded.Select(r => $"{r.Period} {r.Sha256}").Order(StringComparer.Ordinal),
            year.GetProperty("sources").EnumerateArray().Select(s => $"{s.GetProperty("period").GetString()} {s.GetProperty("sha256").GetString()}").Order(StringComparer.Ordinal));
        Assert.All(recorded, r => Assert.Matches("^[0-9a-f]{64}$", r.Sha256));

        // 2025Q3 run and published again: the year's JSON names the run it read and the one published now, not current; the
        // others stay current, and the year run is not redone (still its only run).
        var again = await (await office.PostAsync("/api/evaluations", Api.Json("""{"period":"2025Q3","level":"county","ruleset":"mini"}""")))
            .JsonAsync(HttpStatusCode.Accepted);
        var q3 = (await Api.WaitForRunAsync(office, again.GetProperty("id").GetString()!)).GetProperty("id").GetString()!;
        Assert.NotEqual(sources["2025Q3"], q3);
        await (await office.PostAsync($"/api/evaluations/{q3}/publish", null)).JsonAsync(HttpStatusCode.OK);
        var changed = await (await office.GetAsync($"/api/evaluations/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(sources.OrderBy(x => x.Key, StringComparer.Ordinal)
                .Select(x => x.Key == "2025Q3" ? $"2025Q3 {x.Value} {q3} False" : $"{x.Key} {x.Value} {x.Value} True"),
            Lines(changed));
        Assert.Equal(id, Assert.Single(await Store.ListRunsAsync(Period.OfYear(2025))).Id);

        // A quarter's run has no sources.
        var quarter = await (await office.GetAsync($"/api/evaluations/{q3}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, quarter.GetProperty("sources").ValueKind);
    }

    /// <summary>The run page's source rows as text: period, the run read, and the current publication's status.</summary>
    private static List<string> SourceRows(string html) =>
        [.. System.Text.RegularExpressions.Regex.Matches(html, "<tr data-testid=\"source\">(.*?)</tr>", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Select(m => System.Text.RegularExpressions.Regex.Replace(System.Text.RegularExpressions.Regex.Replace(m.Groups[1].Value, "<[^>]+>", " "), "\\s+", " ").Trim())];
}
