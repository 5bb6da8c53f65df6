using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Tests.Store;
using BaiQianWan.Assess.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// Issue 22 items 5 and 7: the template link stays in the portal with a Chinese reason, the period fields start at the
/// latest period with data, and after an import the portal says how many rows of which periods it wrote.
/// </summary>
/// <remarks>The app's clock reads 2025-10-08: the calendar's previous quarter is 2025Q3.</remarks>
public sealed class PortalUploadReportTests() : PortalAppTest("portal-upload-report")
{
    private const string Q2Only = """
        unit,indicator,period,actual,target,baseline
        A1,fai,2025Q2,50,50,
        A1,rev,2025Q2,30,40,
        A2,fai,2025Q2,60,50,

        """;

    private AssessmentService Service => App.Services.GetRequiredService<AssessmentService>();

    private async Task SeedAsync()
    {
        await Service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await Service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author");
        await Service.ActivateRulesetAsync("mini", 1, "office");
    }

    [Fact]
    public async Task The_template_of_a_period_without_units_stays_in_the_portal_with_the_reason_in_chinese()
    {
        await SeedAsync();
        using var office = App.Client(App.Token("office"));

        var response = await office.GetAsync("/office/template?period=2026Q1&ruleset=mini");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("无法生成填报模板：2026 年没有县（市、区）单位，请先导入 2026 年的单位名单", html);
        Assert.Contains("data-testid=\"upload-observations\"", html);
        Assert.DoesNotContain("county", html);
    }

    [Theory]
    [InlineData("2025Q5", "无法生成填报模板：'2025Q5' 不是期间（应为 YYYY-MM、YYYYQn 或 YYYY，如 2025-06、2025Q3）")]
    [InlineData("2025Q3&ruleset=nope", "无法生成填报模板：规则集 nope 没有启用的版本")]
    public async Task A_template_request_the_office_mistyped_answers_the_uploads_page_with_the_reason(string query, string reason)
    {
        await SeedAsync();
        using var office = App.Client(App.Token("office"));

        var response = await office.GetAsync(query.Contains('&') ? $"/office/template?period={query}" : $"/office/template?period={query}&ruleset=mini");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(reason, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task The_template_of_a_period_with_units_is_the_xlsx_from_the_portal()
    {
        await SeedAsync();
        using var office = App.Client(App.Token("office"));

        var response = await office.GetAsync("/office/template?period=2025Q3&ruleset=mini");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(await Service.TemplateAsync(Mini.Q3, "mini", null), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Starting_a_run_for_a_year_without_units_stays_on_the_runs_page_with_the_level_in_chinese()
    {
        await SeedAsync();
        using var office = App.Client(App.Token("office"));
        var token = AntiforgeryToken(await office.GetStringAsync("/office/runs"));

        var started = await office.PostAsync("/office/runs", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [Antiforgery.FieldName] = token, ["period"] = "2026Q1", ["ruleset"] = "mini",
        }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, started.StatusCode);
        var html = WebUtility.HtmlDecode(await started.Content.ReadAsStringAsync());
        Assert.Contains("2026 年没有县（市、区）单位，请先导入 2026 年的单位名单", html);
        Assert.DoesNotContain("county", html);
    }

    [Fact]
    public async Task The_period_fields_start_at_the_latest_period_with_data_not_the_calendars()
    {
        await SeedAsync();
        await Service.ImportObservationsAsync(Mini.Bytes(Q2Only), "q2.csv", "office");
        using var office = App.Client(App.Token("office"));

        var uploads = await office.GetStringAsync("/office/uploads");
        var runs = await office.GetStringAsync("/office/runs");

        Assert.Contains("<input id=\"obs-period\" name=\"period\" pattern=\"[0-9]{4}(Q[1-4]|-(0[1-9]|1[0-2]))?\" value=\"2025Q2\" aria-describedby=\"obs-period-hint\" />", uploads);
        Assert.Contains("<input id=\"tpl-period\" name=\"period\" required pattern=\"[0-9]{4}(Q[1-4]|-(0[1-9]|1[0-2]))?\" value=\"2025Q2\" />", uploads);
        Assert.Contains("<input id=\"run-period\" name=\"period\" required pattern=\"[0-9]{4}(Q[1-4]|-(0[1-9]|1[0-2]))?\" title=\"季度 YYYYQn、年度 YYYY 或月份 YYYY-MM\" value=\"2025Q2\" />", runs);
    }

    [Fact]
    public async Task After_an_upload_the_portal_says_how_many_rows_of_which_period_it_imported()
    {
        await SeedAsync();
        using var office = App.Client(App.Token("office"));
        var token = AntiforgeryToken(await office.GetStringAsync("/office/uploads"));

        var posted = await office.PostAsync("/office/uploads/observations", Upload(token, "2025Q2", "q2.csv", Q2Only));

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var batch = Assert.Single(await Service.ListImportsAsync(), b => b.FileName == "q2.csv");
        Assert.Equal($"/office/uploads?done=observations&batch={batch.Id}", posted.Headers.Location!.OriginalString);
        var page = WebUtility.HtmlDecode(await office.GetStringAsync(posted.Headers.Location.OriginalString));
        Assert.Contains("指标数据已导入：q2.csv 共 3 行（2025Q2 3 行）", page);
        Assert.Contains("<tr><td data-label=\"类型\">指标数据</td><td data-label=\"年度/期间\">2025Q2</td><td data-label=\"文件\">q2.csv</td><td class=\"num\" data-label=\"行数\">3</td>", page);
    }

    [Fact]
    public async Task A_file_of_several_periods_is_reported_per_period_and_the_log_shows_its_periods()
    {
        await SeedAsync();
        var outcome = await Service.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
        using var office = App.Client(App.Token("office"));

        var page = WebUtility.HtmlDecode(await office.GetStringAsync($"/office/uploads?done=observations&batch={outcome.Batch.Id}"));

        Assert.Contains("指标数据已导入：observations.csv 共 17 行（2025Q2 9 行、2025Q3 8 行）", page);
        Assert.Contains("<tr><td data-label=\"类型\">指标数据</td><td data-label=\"年度/期间\">2025Q2、2025Q3</td><td data-label=\"文件\">observations.csv</td><td class=\"num\" data-label=\"行数\">17</td>", page);
        Assert.Contains("<tr><td data-label=\"类型\">单位</td><td data-label=\"年度/期间\">2025</td><td data-label=\"文件\">units.csv</td><td class=\"num\" data-label=\"行数\">5</td>", page);
        // Without the notice code the batch adds nothing (a link cannot put words on the page).
        Assert.DoesNotContain("共 17 行", WebUtility.HtmlDecode(await office.GetStringAsync($"/office/uploads?batch={outcome.Batch.Id}")));
    }

    private static MultipartFormDataContent Upload(string token, string period, string fileName, string csv)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), Antiforgery.FieldName },
            { new StringContent(period), "period" },
        };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", fileName);
        return form;
    }
}
