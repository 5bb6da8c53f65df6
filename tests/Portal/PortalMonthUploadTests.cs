using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Functions;
using BaiQianWan.Assess.Tests.Store;
using BaiQianWan.Assess.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// Month files (issue 23) uploaded through the portal and the API: a period field takes <c>YYYY-MM</c> as well as YYYYQn and
/// YYYY, the plan column is kept, and a period that is none of the three is refused naming all three forms.
/// </summary>
public sealed class PortalMonthUploadTests() : PortalAppTest("portal-month-upload")
{
    private const string June = """
        unit,indicator,period,actual,target,baseline,plan
        A1,fai,2025-06,12.50,100,,41.6700
        A2,fai,2025-06,7,100,,

        """;

    private AssessmentService Service => App.Services.GetRequiredService<AssessmentService>();

    private IAssessStore Store => App.Services.GetRequiredService<IAssessStore>();

    private static string Plans(IEnumerable<Observation> rows) =>
        string.Join(" ", rows.Select(o => $"{o.Unit}:{o.Actual.ToString(System.Globalization.CultureInfo.InvariantCulture)}:{o.Plan?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}"));

    [Fact]
    public async Task The_uploads_form_takes_a_month_and_keeps_the_plans()
    {
        await Service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        using var office = App.Client(App.Token("office"));
        var token = AntiforgeryToken(await office.GetStringAsync("/office/uploads"));

        var done = await office.PostAsync("/office/uploads/observations", Upload(token, "2025-06", June, "2025-06.csv"));

        Assert.True(done.StatusCode is HttpStatusCode.OK or HttpStatusCode.SeeOther or HttpStatusCode.Redirect, done.StatusCode.ToString());
        Assert.Equal("A1:12.50:41.6700 A2:7:-", Plans(await Store.GetObservationsAsync(Period.OfMonth(2025, 6))));

        // A row of May in a file uploaded for June is refused with its place; nothing of the file is written.
        var other = await office.PostAsync("/office/uploads/observations",
            Upload(token, "2025-06", June.Replace("A2,fai,2025-06,7", "A2,fai,2025-05,8"), "mixed.csv"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Contains("mixed.csv:3:period", WebUtility.HtmlDecode(await other.Content.ReadAsStringAsync()));
        Assert.Empty(await Store.GetObservationsAsync(Period.OfMonth(2025, 5)));
        Assert.Equal("A1:12.50:41.6700 A2:7:-", Plans(await Store.GetObservationsAsync(Period.OfMonth(2025, 6))));
    }

    [Fact]
    public async Task A_period_field_that_is_no_period_names_the_three_forms()
    {
        await Service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        using var office = App.Client(App.Token("office"));
        var token = AntiforgeryToken(await office.GetStringAsync("/office/uploads"));

        var refused = await office.PostAsync("/office/uploads/observations", Upload(token, "2025-13", June, "2025-06.csv"));

        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("'2025-13' 不是期间（应为 YYYY-MM、YYYYQn 或 YYYY）", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        Assert.Empty(await Store.GetObservationsAsync(Period.OfMonth(2025, 6)));

        var template = await office.GetAsync("/office/template?period=2025-6&ruleset=mini");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, template.StatusCode);
        Assert.Contains("'2025-6' 不是期间（应为 YYYY-MM、YYYYQn 或 YYYY，如 2025-06、2025Q3）", WebUtility.HtmlDecode(await template.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task The_api_imports_a_month_file_with_its_plans_and_refuses_a_bad_month()
    {
        using var office = App.Client(App.Token("office"));
        await (await office.PutAsync("/api/units?year=2025&file=units.csv", Api.Csv(Mini.Bytes(Mini.UnitsCsv)))).JsonAsync(HttpStatusCode.OK);

        await (await office.PutAsync("/api/periods/2025-06/observations?file=2025-06.csv", Api.Csv(Encoding.UTF8.GetBytes(June)))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("A1:12.50:41.6700 A2:7:-", Plans(await Store.GetObservationsAsync(Period.OfMonth(2025, 6))));

        var problem = await (await office.PutAsync("/api/periods/2025-13/observations?file=x.csv", Api.Csv(Encoding.UTF8.GetBytes(June)))).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Contains("期间应为 YYYY-MM、YYYYQn 或 YYYY（如 2025-06、2025Q3），这里是 '2025-13'", problem.GetRawText().Contains("\\u") ? System.Text.RegularExpressions.Regex.Unescape(problem.GetRawText()) : problem.GetRawText());
    }

    private static MultipartFormDataContent Upload(string token, string period, string csv, string fileName)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), Antiforgery.FieldName },
            { new StringContent(period), "period" },
        };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileNameStar = fileName };
        form.Add(file);
        return form;
    }
}
