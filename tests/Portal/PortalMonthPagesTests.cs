using System.Net;
using System.Text.RegularExpressions;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Functions;
using BaiQianWan.Assess.Tests.Store;
using BaiQianWan.Assess.Workflow.Publications;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// Issue 23 item 6 through the real app: the office's page of a month run is the month review (counts per class, the light
/// matrix, the red list, the run's own PDFs, publish), and a unit's home shows its own latest published month with its
/// one-page PDF and the level's bulletin; a unit cannot open another unit's month PDF (403 whether or not it exists, as
/// scorecards), and a unit the run did not hold (a town) is refused the county month bulletin.
/// </summary>
/// <remarks>
/// <see cref="MiniMonth"/>'s June by hand: A1 green, A2 red (yellow two months running, escalated), B1 red (gap −15),
/// B2 green. So 甲 and 乙 each 1 red, 0 yellow, 1 green; the level 2, 0, 2; the red list B1 then A2 (streak 2 before 1).
/// </remarks>
public sealed partial class PortalMonthPagesTests() : PortalAppTest("portal-month-pages")
{
    private static string Rows(string month) =>
        string.Join("\n", MiniMonth.ObservationsCsv.Replace("\r\n", "\n").Split('\n').Where((line, i) => i == 0 || line.Contains(month, StringComparison.Ordinal))) + "\n";

    private async Task<string> JuneRunAsync(HttpClient office)
    {
        await (await office.PutAsync("/api/units?year=2025&file=units.csv", Api.Csv(Mini.Bytes(Mini.UnitsCsv)))).JsonAsync(HttpStatusCode.OK);
        await (await office.PutAsync("/api/periods/2025-05/observations?file=2025-05.csv", Api.Csv(Mini.Bytes(Rows("2025-05"))))).JsonAsync(HttpStatusCode.OK);
        await (await office.PutAsync("/api/periods/2025-06/observations?file=2025-06.csv", Api.Csv(Mini.Bytes(Rows("2025-06"))))).JsonAsync(HttpStatusCode.OK);
        await (await office.PutAsync("/api/rulesets/mini-monthly", Api.Yaml(MiniMonth.MonitorYaml))).JsonAsync(HttpStatusCode.Created);
        await (await office.PostAsync("/api/rulesets/mini-monthly/versions/1/activate", null)).JsonAsync(HttpStatusCode.OK);
        var accepted = await (await office.PostAsync("/api/evaluations", Api.Json("""{"period":"2025-06","level":"county","ruleset":"mini-monthly"}""")))
            .JsonAsync(HttpStatusCode.Accepted);
        var run = await Api.WaitForRunAsync(office, accepted.GetProperty("id").GetString()!);
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        return run.GetProperty("id").GetString()!;
    }

    /// <summary>The numbers of a counts row: units, then each light worst first, then missing.</summary>
    private static string Counts(string html, string @class)
    {
        var row = Regex.Match(html, $"""<tr data-class="{@class}">(.*?)</tr>""", RegexOptions.Singleline);
        Assert.True(row.Success, $"a counts row for '{@class}'");
        return string.Join(" ", Regex.Matches(row.Groups[1].Value, """<td class="num"[^>]*>(\d+)</td>""").Select(m => m.Groups[1].Value));
    }

    private static string Cells(string html) =>
        string.Join(" ", Regex.Matches(html, """<tr data-unit="([^"]+)">.*?data-light="([^"]+)" """, RegexOptions.Singleline)
            .Select(m => $"{m.Groups[1].Value}:{m.Groups[2].Value}"));

    [Fact]
    public async Task The_office_reviews_a_month_run_with_exact_counts_filters_and_its_own_pdfs()
    {
        using var office = App.Client(App.Token("office"));
        var id = await JuneRunAsync(office);

        var html = WebUtility.HtmlDecode(await office.GetStringAsync($"/office/runs/{id}"));
        Assert.Contains("迷你月度通报", html);
        Assert.Equal("4 2 0 2 0", Counts(html, ""));
        Assert.Equal("2 1 0 1 0", Counts(html, "甲"));
        Assert.Equal("2 1 0 1 0", Counts(html, "乙"));
        var matrix = html[html.IndexOf("data-testid=\"month-matrix\"", StringComparison.Ordinal)..html.IndexOf("data-testid=\"red-list\"", StringComparison.Ordinal)];
        Assert.Equal("A1:green A2:red B1:red B2:green", Cells(matrix));
        var red = html[html.IndexOf("<table class=\"cards\" data-testid=\"red-list\"", StringComparison.Ordinal)..];
        Assert.Equal(["B1", "A2"], Regex.Matches(red, """<tr data-unit="([^"]+)">""").Select(m => m.Groups[1].Value));
        Assert.Contains("data-testid=\"publish\"", html);

        // Filters: class 乙 keeps B1 and B2; light red keeps A2 and B1.
        var b = WebUtility.HtmlDecode(await office.GetStringAsync($"/office/runs/{id}?class={Uri.EscapeDataString("乙")}"));
        Assert.Contains("显示 2 / 2 个单位", b);
        Assert.Equal("2 1 0 1 0", Counts(b, ""));
        var reds = WebUtility.HtmlDecode(await office.GetStringAsync($"/office/runs/{id}?light=red"));
        Assert.Contains("显示 2 / 4 个单位", reds);

        // The run's own bulletin (keyed by the level) and a unit's page, as stored.
        Assert.Contains($"/office/runs/{id}/bulletins/county/pdf", html);
        Assert.Contains($"/office/runs/{id}/units/A2/pdf", html);
        var store = App.Services.GetRequiredService<IAssessStore>();
        Assert.Equal((await store.GetDocumentAsync(id, DocumentKind.Bulletin, "county"))!.Content,
            await office.GetByteArrayAsync($"/office/runs/{id}/bulletins/county/pdf"));
        Assert.Equal((await store.GetDocumentAsync(id, DocumentKind.Scorecard, "A2"))!.Content,
            await office.GetByteArrayAsync($"/office/runs/{id}/units/A2/pdf"));
    }

    [Fact]
    public async Task A_unit_sees_its_own_month_and_not_another_units_month_pdf()
    {
        using var office = App.Client(App.Token("office"));
        var id = await JuneRunAsync(office);
        using var a2 = App.Client(App.Token("unit", "A2"));

        // Before publishing: no month on the home, the month PDF not found for the unit itself.
        Assert.DoesNotContain("迷你月度通报", WebUtility.HtmlDecode(await a2.GetStringAsync("/units/A2")));
        Assert.Equal(HttpStatusCode.NotFound, (await a2.GetAsync("/units/A2/months/2025-06/pdf")).StatusCode);

        await (await office.PostAsync($"/api/evaluations/{id}/publish", null)).JsonAsync(HttpStatusCode.OK);

        var home = WebUtility.HtmlDecode(await a2.GetStringAsync("/units/A2"));
        Assert.Contains("迷你月度通报", home);
        Assert.Contains("红灯", home);
        Assert.Contains("/units/A2/months/2025-06/pdf", home);
        Assert.Contains("/units/A2/month-bulletin/2025-06/pdf", home);
        var store = App.Services.GetRequiredService<IAssessStore>();
        Assert.Equal((await store.GetDocumentAsync(id, DocumentKind.Scorecard, "A2"))!.Content, await a2.GetByteArrayAsync("/units/A2/months/2025-06/pdf"));
        Assert.Equal((await store.GetDocumentAsync(id, DocumentKind.Bulletin, "county"))!.Content, await a2.GetByteArrayAsync("/units/A2/month-bulletin/2025-06/pdf"));

        // Another unit's month PDF, existing or not: the same 403 as another unit's scorecard.
        Assert.Equal(HttpStatusCode.Forbidden, (await a2.GetAsync("/units/A1/months/2025-06/pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await a2.GetAsync("/units/ZZ9/months/2025-06/pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await a2.GetAsync("/units/A1/month-bulletin/2025-06/pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await a2.GetAsync("/units/A1/scorecards/2025Q2/pdf")).StatusCode);

        // A town (not in the county month run) sees no county month on its home and cannot open the county bulletin.
        using var t1 = App.Client(App.Token("unit", "T1"));
        Assert.DoesNotContain("迷你月度通报", WebUtility.HtmlDecode(await t1.GetStringAsync("/units/T1")));
        Assert.NotEqual(HttpStatusCode.OK, (await t1.GetAsync("/units/T1/month-bulletin/2025-06/pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await t1.GetAsync("/units/A1/month-bulletin/2025-06/pdf")).StatusCode);
    }

    [Fact]
    public async Task The_preview_and_runs_period_fields_take_months_and_refuse_others_in_chinese()
    {
        using var office = App.Client(App.Token("office"));
        await JuneRunAsync(office);

        var preview = WebUtility.HtmlDecode(await office.GetStringAsync("/rulesets/mini-monthly/1/preview?period=2025-06"));
        var table = preview[preview.IndexOf("data-testid=\"preview-monitor\"", StringComparison.Ordinal)..];
        Assert.Equal("A1:green A2:red B1:red B2:green", Cells(table));
        // With no period asked, the latest month with data (June).
        Assert.Contains("data-testid=\"preview-monitor\"", WebUtility.HtmlDecode(await office.GetStringAsync("/rulesets/mini-monthly/1/preview")));
        Assert.Contains("月度监测按月预览：期间应为月份 YYYY-MM（如 2025-06），这里是 '2025Q2'",
            WebUtility.HtmlDecode(await office.GetStringAsync("/rulesets/mini-monthly/1/preview?period=2025Q2")));
        var bad = await office.GetAsync("/rulesets/mini-monthly/1/preview?period=2025-13");
        Assert.Equal(HttpStatusCode.NotFound, bad.StatusCode);
        Assert.Contains("'2025-13' 不是期间（应为 YYYY-MM、YYYYQn 或 YYYY）", WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()));

        // The runs form: a month is taken (the run's page is the month review), a bad month refused in Chinese.
        var runs = await office.GetStringAsync("/office/runs");
        var token = AntiforgeryToken(runs);
        using var refused = await office.PostAsync("/office/runs", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [Antiforgery.FieldName] = token, ["period"] = "2025-6", ["ruleset"] = "mini-monthly",
        }));
        Assert.Contains("'2025-6' 不是期间（应为 YYYY-MM、YYYYQn 或 YYYY）", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
    }

    [Fact]
    public void The_policy_lets_a_unit_of_the_month_run_read_its_level_bulletin_and_refuses_a_unit_of_the_other_level()
    {
        var county = new Dictionary<string, PublishedResults.Unit>(StringComparer.Ordinal)
        {
            ["A1"] = new("甲一县", null, "甲"),
            ["B1"] = new("乙一县", null, "乙"),
        };
        PortalUser Unit(string code) => new("u-" + code, code, AccountRole.Unit, code);
        Assert.True(AccessPolicy.MayReadMonthBulletin(Unit("A1"), "county", county));
        Assert.True(AccessPolicy.MayReadMonthBulletin(Unit("B1"), "county", county)); // any class of the level
        Assert.False(AccessPolicy.MayReadMonthBulletin(Unit("T1"), "county", county)); // a town: not a unit of the run
        Assert.False(AccessPolicy.MayReadMonthBulletin(Unit("A1"), "county", null)); // nothing published
        Assert.False(AccessPolicy.MayReadMonthBulletin(null, "county", county));
        Assert.True(AccessPolicy.MayReadMonthBulletin(new PortalUser("office", "office", AccountRole.Office, null), "county", null));
    }
}
