using System.Net;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Store;
using BaiQianWan.Assess.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// Issue 22 items 1 and 2: the office reviews a run's own scorecards and bulletins (pages and PDFs) before publishing, and
/// the review shows what the bulletin shows (一票否决, 数据不全, 较上期).
/// </summary>
/// <remarks>
/// The mini province: 2025Q2 and 2025Q3 evaluated with version 1 and published; then version 2 (weights 50/50, a 就业
/// indicator B2 has no figure for, a veto A2 incurs) evaluated for 2025Q3 and not published. Version 2's 2025Q3:
/// A1 60 + 50 + 10 = 120 (1st), A2 50 + 37.5 + 10 = 97.5 (2nd, vetoed); B1 25 + 50 + 10 = 85 (1st), B2 50 + 25 + 0 = 75
/// (2nd, data incomplete). In 2025Q2 A2 and B2 were 1st.
/// </remarks>
public sealed class PortalRunReviewTests() : PortalAppTest("portal-review")
{
    private static readonly string RulesetV2 = Mini.RulesetV2
        .Replace("""
                    method: completion
            adjustments:
            """, """
                    method: completion
                  - id: emp
                    name: 就业
                    unit: 人
                    weight: 10
                    method: completion
            adjustments:
            """)
        .Replace("""
                max: 2
            grades:
            """, """
                max: 2
              - id: safety
                name: 安全事故
                kind: veto
            grades:
            """);

    private const string MoreObservations = """
        unit,indicator,period,actual,target,baseline
        A1,emp,2025Q3,10,10,
        A2,emp,2025Q3,10,10,
        B1,emp,2025Q3,10,10,
        A2,safety,2025Q3,1,,

        """;

    private AssessmentService Service => App.Services.GetRequiredService<AssessmentService>();

    private async Task<(string PublishedQ3, string Reviewed)> SeedAsync()
    {
        await Service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await Service.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
        await Service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author");
        await Service.ActivateRulesetAsync("mini", 1, "office");
        string published = "";
        foreach (var period in new[] { Mini.Q2, Mini.Q3 })
        {
            var run = await Service.RunAsync(period, UnitLevel.County, "mini", null, "office");
            Assert.Equal(RunStatus.Succeeded, run.Status);
            await Service.PublishAsync(run.Id, "office");
            published = run.Id;
        }
        await Service.ImportObservationsAsync(Mini.Bytes(MoreObservations), "more.csv", "office");
        Assert.Equal(2, (await Service.AddRulesetAsync(RulesetV2, "mini.yaml", "author")).Version);
        var reviewed = await Service.RunAsync(Mini.Q3, UnitLevel.County, "mini", 2, "office");
        Assert.Equal(RunStatus.Succeeded, reviewed.Status);
        return (published, reviewed.Id);
    }

    [Fact]
    public async Task The_review_of_an_unpublished_run_links_its_own_scorecards_not_the_published_runs()
    {
        var (published, reviewed) = await SeedAsync();
        using var office = App.Client(App.Token("office"));

        var review = WebUtility.HtmlDecode(await office.GetStringAsync($"/office/runs/{reviewed}"));

        Assert.Contains($"<a href=\"/office/runs/{reviewed}/units/A1\">甲一县</a>", review);
        Assert.DoesNotContain("/units/A1/scorecards/2025Q3", review);
        var card = await office.GetAsync($"/office/runs/{reviewed}/units/A1");
        Assert.Equal(HttpStatusCode.OK, card.StatusCode);
        var html = WebUtility.HtmlDecode(await card.Content.ReadAsStringAsync());
        Assert.Contains("<span class=\"big\" data-testid=\"total\">120.00</span>", html);
        Assert.Contains($"<a class=\"button\" href=\"/office/runs/{reviewed}/units/A1/pdf\">下载 PDF</a> <a href=\"/office/runs/{reviewed}\">返回</a>", html);
        // The published page still shows the published run (112), as units see it.
        Assert.Contains("<span class=\"big\" data-testid=\"total\">112.00</span>",
            WebUtility.HtmlDecode(await office.GetStringAsync("/units/A1/scorecards/2025Q3")));

        var pdf = await office.GetAsync($"/office/runs/{reviewed}/units/A1/pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        var own = await Service.GetDocumentAsync(reviewed, DocumentKind.Scorecard, "A1");
        var other = await Service.GetDocumentAsync(published, DocumentKind.Scorecard, "A1");
        Assert.Equal(own!.Content, await pdf.Content.ReadAsByteArrayAsync());
        Assert.NotEqual(other!.Content, own.Content);
    }

    [Fact]
    public async Task The_review_links_each_class_bulletin_of_the_run_page_and_pdf()
    {
        var (_, reviewed) = await SeedAsync();
        using var office = App.Client(App.Token("office"));

        var review = WebUtility.HtmlDecode(await office.GetStringAsync($"/office/runs/{reviewed}"));

        var bulletinUrl = $"/office/runs/{reviewed}/bulletins/{Uri.EscapeDataString("甲")}";
        Assert.Contains($"<a href=\"{bulletinUrl}\">“甲”类通报</a> <a href=\"{bulletinUrl}/pdf\">通报 PDF</a>", review);
        var bulletin = WebUtility.HtmlDecode(await office.GetStringAsync(bulletinUrl));
        Assert.Contains($"<a class=\"button\" href=\"{bulletinUrl}/pdf\">下载通报 PDF</a>", bulletin);
        Assert.Contains($"<a href=\"/office/runs/{reviewed}/units/A1\">甲一县</a>", bulletin);
        Assert.DoesNotContain("乙一县", bulletin);
        var pdf = await office.GetAsync($"{bulletinUrl}/pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal((await Service.GetDocumentAsync(reviewed, DocumentKind.Bulletin, "甲"))!.Content, await pdf.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync($"/office/runs/{reviewed}/bulletins/{Uri.EscapeDataString("丙")}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync($"/office/runs/{reviewed}/units/ZZ")).StatusCode);
    }

    [Fact]
    public async Task An_unpublished_period_can_be_reviewed_before_its_first_publication()
    {
        await Service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await Service.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
        await Service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author");
        await Service.ActivateRulesetAsync("mini", 1, "office");
        var run = await Service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");
        using var office = App.Client(App.Token("office"));

        var card = await office.GetAsync($"/office/runs/{run.Id}/units/A1");

        Assert.Equal(HttpStatusCode.OK, card.StatusCode);
        Assert.Contains("<span class=\"big\" data-testid=\"total\">90.50</span>", WebUtility.HtmlDecode(await card.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync($"/office/runs/{run.Id}/units/A1/pdf")).StatusCode);
    }

    [Fact]
    public async Task A_unit_may_not_read_a_run_under_review_not_even_its_own_scorecard()
    {
        var (_, reviewed) = await SeedAsync();
        using var unit = App.Client(App.Token("unit", "A1"));

        foreach (var path in new[] { "/units/A1", "/units/A1/pdf", $"/bulletins/{Uri.EscapeDataString("甲")}", $"/bulletins/{Uri.EscapeDataString("甲")}/pdf" })
            Assert.Equal(HttpStatusCode.Forbidden, (await unit.GetAsync($"/office/runs/{reviewed}{path}")).StatusCode);
    }

    [Fact]
    public async Task The_review_shows_the_veto_the_missing_data_and_the_change_since_the_previous_quarter()
    {
        var (_, reviewed) = await SeedAsync();
        using var office = App.Client(App.Token("office"));

        var review = WebUtility.HtmlDecode(await office.GetStringAsync($"/office/runs/{reviewed}"));

        Assert.Contains("<th scope=\"col\">较上期</th>", review);
        Assert.Contains($"<a href=\"/office/runs/{reviewed}/units/A1\">甲一县</a></td>", review);
        Assert.Contains($"<a href=\"/office/runs/{reviewed}/units/A2\">甲二县</a><span class=\"tag veto\">一票否决</span></td>", review);
        Assert.Contains($"<a href=\"/office/runs/{reviewed}/units/B2\">乙二县</a><span class=\"tag incomplete\">数据不全</span></td>", review);
        Assert.Contains("<td class=\"up\" data-label=\"较上期\">↑1</td>", review);
        Assert.Equal(2, CountOf(review, "<td class=\"up\" data-label=\"较上期\">↑1</td>"));
        Assert.Equal(2, CountOf(review, "<td class=\"down\" data-label=\"较上期\">↓1</td>"));
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
