using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Tests.Functions;
using BaiQianWan.Assess.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// Issue 14 item 3 from the portal: a units file that would leave the year with no units is refused on the uploads page
/// with the reason, and goes in only when the office ticks 确认替换整个名单 (the CLI's <c>--replace-all</c>).
/// </summary>
public sealed class PortalUnitsReplaceAllTests() : PortalAppTest("portal-replace-all")
{
    [Fact]
    public async Task An_empty_units_file_is_refused_with_the_reason_unless_the_office_ticks_replace_all()
    {
        using var office = App.Client(App.Token("office"));
        await (await office.PutAsync("/api/units?year=2025&file=units.csv", Api.Csv(TestProvince.UnitsCsv()))).JsonAsync(HttpStatusCode.OK);
        var page = await office.GetStringAsync("/office/uploads");
        Assert.Contains("name=\"replaceAll\" type=\"checkbox\" value=\"true\"", page);
        var token = AntiforgeryToken(page);
        var header = BaiQianWan.Assess.Samples.ProvinceFiles.UnitsHeader + "\n";
        var service = App.Services.GetRequiredService<AssessmentService>();
        var before = (await service.GetUnitsAsync(2025)).Count;
        Assert.True(before > 0);

        // The store's conflict, answered as the API answers it (one mapping for both hosts): 409, not 422.
        var refused = await office.PostAsync("/office/uploads/units", Upload(token, header, replaceAll: false));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await office.PutAsync("/api/units?year=2025&file=empty.csv",
            Api.Csv(System.Text.Encoding.UTF8.GetBytes(header)))).StatusCode);
        Assert.Contains("empty.csv 没有任何单位，导入后 2025 年将没有单位；确认要清空该年度的单位名单，请明确确认（命令行 --replace-all，API ?replaceAll=true，门户勾选“确认替换整个名单”）",
            WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        Assert.Equal(before, (await service.GetUnitsAsync(2025)).Count);

        var done = await office.PostAsync("/office/uploads/units", Upload(token, header, replaceAll: true));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Empty(await service.GetUnitsAsync(2025));
    }

    private static MultipartFormDataContent Upload(string token, string csv, bool replaceAll)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), Antiforgery.FieldName },
            { new StringContent("2025"), "year" },
        };
        if (replaceAll) form.Add(new StringContent("true"), "replaceAll");
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "empty.csv");
        return form;
    }
}
