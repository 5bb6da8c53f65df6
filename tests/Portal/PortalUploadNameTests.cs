using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Tests.Functions;
using BaiQianWan.Assess.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// Issue 19 item 6 and issue 22 item 3 on the portal's uploads page: every bad row of a file at once, whatever its
/// kind; and an upload's file name stored with its control characters escaped, on every upload path (portal, API).
/// </summary>
public sealed partial class PortalUploadNameTests() : PortalAppTest("portal-upload-names")
{
    [Fact]
    public async Task A_file_for_one_period_lists_the_row_of_another_period_with_every_other_bad_row()
    {
        using var office = App.Client(App.Token("office"));
        await (await office.PutAsync("/api/units?year=2025&file=units.csv", Api.Csv(TestProvince.UnitsCsv()))).JsonAsync(HttpStatusCode.OK);
        var token = AntiforgeryToken(await office.GetStringAsync("/office/uploads"));
        var a = TestProvince.CountyA.Code;
        var csv = $"unit,indicator,period,actual,target,baseline\n{a},gdp,2025Q3,abc,,\nZZ9,gdp,2025Q3,1,,\n{a},gdp,2025Q2,1,,\n";

        var refused = await office.PostAsync("/office/uploads/observations", Upload(token, "2025Q3", csv, "obs.csv"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var rows = ErrorRow().Matches(WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync())).Select(m => $"{m.Groups[1].Value}: {m.Groups[2].Value}");
        Assert.Equal([
            "obs.csv:2:actual: 'abc' 不是数值（小数点用 .，不要千分位和单位）",
            "obs.csv:3:unit: 未知的单位 'ZZ9'",
            "obs.csv:4:period: 期间 2025Q2 不是本次导入的期间 2025Q3"], rows);
        Assert.Empty(await App.Services.GetRequiredService<BaiQianWan.Assess.Store.IAssessStore>().GetObservationsAsync(TestProvince.Period));
    }

    [Fact]
    public async Task Control_characters_in_upload_names_are_stored_escaped_from_the_portal_and_the_api()
    {
        using var office = App.Client(App.Token("office"));
        // The API: ?file= with a line feed and a right-to-left override.
        await (await office.PutAsync("/api/units?year=2025&file=" + Uri.EscapeDataString("单位\n名单\u202Excsv.csv"), Api.Csv(TestProvince.UnitsCsv())))
            .JsonAsync(HttpStatusCode.OK);
        // The portal: a multipart file name (RFC 5987 filename*) with a tab and a bell.
        var token = AntiforgeryToken(await office.GetStringAsync("/office/uploads"));
        var done = await office.PostAsync("/office/uploads/observations", Upload(token, "2025Q3", Encoding.UTF8.GetString(TestProvince.ObservationsCsv()), "数据\t第三季度\u0007.csv"));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        // A rejected file's errors name it escaped too, so no name can start a line of its own in the list.
        var refused = await office.PutAsync("/api/periods/2025Q3/observations?file=" + Uri.EscapeDataString("x\r\ny.csv"),
            Api.Csv(Encoding.UTF8.GetBytes("unit,indicator,period,actual,target,baseline\nZZ9,gdp,2025Q3,1,,\n")));
        var problem = await refused.JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("x\\r\\ny.csv:2:unit: 未知的单位 'ZZ9'", Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetString());

        var imports = await App.Services.GetRequiredService<AssessmentService>().ListImportsAsync();
        Assert.Equal(["单位\\n名单\\u202Excsv.csv", "数据\\t第三季度\\u0007.csv"], imports.OrderBy(i => i.Id, StringComparer.Ordinal).Select(i => i.FileName));
        var page = WebUtility.HtmlDecode(await office.GetStringAsync("/office/uploads"));
        Assert.Contains("数据\\t第三季度\\u0007.csv", page);
        Assert.DoesNotContain("\u202E", page);
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

    [GeneratedRegex("""<td class="pos" data-label="位置"><code>([^<]*)</code></td>\s*<td data-label="原因">([^<]*)</td>""")]
    private static partial Regex ErrorRow();
}
