using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Functions;
using BaiQianWan.Assess.Tests.Store;
using BaiQianWan.Assess.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// Issue 22 item 4 over HTTP: a file of four quarters uploaded for one is refused with the total, one line per kind and at
/// most 200 rows, the period the office chose kept, every error downloadable as CSV (office only), and the file can instead be
/// imported with its own periods after a preview per period and a confirmation. The API bounds its refusal the same way.
/// </summary>
public sealed partial class PortalHugeRefusalTests() : PortalAppTest("portal-huge-refusal")
{
    /// <summary>Units A1 A2 B1 B2; 4 quarters × 4 units × 80 indicators = 1,280 rows (rows 2–1281), a quarter's rows together.</summary>
    private static string FourQuarters()
    {
        var text = new StringBuilder("unit,indicator,period,actual,target,baseline\n");
        foreach (var q in new[] { 1, 2, 3, 4 })
            foreach (var unit in new[] { "A1", "A2", "B1", "B2" })
                for (var i = 0; i < 80; i++) text.Append($"{unit},i{i:00},2025Q{q},{i},,\n");
        return text.ToString();
    }

    private AssessmentService Service => App.Services.GetRequiredService<AssessmentService>();

    [Fact]
    public async Task Four_quarters_for_one_are_refused_bounded_and_grouped_then_previewed_per_period_and_imported_on_confirmation()
    {
        await Service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        using var office = App.Client(App.Token("office"));
        var token = AntiforgeryToken(await office.GetStringAsync("/office/uploads"));

        var refused = await office.PostAsync("/office/uploads/observations", Upload(token, "2025Q4", FourQuarters(), "year.csv"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("year.csv 有 960 处错误，未写入任何数据。下面按类别汇总，并列出其中 200 处", html);
        Assert.Contains("<strong>960 行的期间不是 2025Q4</strong><span class=\"hint\">（第 2、3、4、5、6 行 等）</span>", html);
        Assert.Contains("year.csv 的错误（共 960 处，这里列出 200 处）", html);
        Assert.Equal(200, ErrorRow().Matches(html).Count);
        Assert.Equal("year.csv:2:period: 期间 2025Q1 不是本次导入的期间 2025Q4", ErrorRow().Match(html) is var m ? $"{m.Groups[1].Value}: {m.Groups[2].Value}" : "");
        Assert.DoesNotContain("地址", html);
        // The period the office chose stays in the form.
        Assert.Matches("""id="obs-period" name="period"[^>]*value="2025Q4" """.TrimEnd(), html);
        Assert.DoesNotContain(await Service.ListImportsAsync(), i => i.Kind == ImportKind.Observations);

        // Every error as CSV, from the file the page carries; for the office only.
        var stage = Stage(html);
        var csv = await office.PostAsync("/office/uploads/errors", Form(token, stage));
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = Encoding.UTF8.GetString((await csv.Content.ReadAsByteArrayAsync())[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(961, lines.Length);
        Assert.Equal("文件,行,列,原因", lines[0]);
        Assert.Equal("year.csv,2,period,期间 2025Q1 不是本次导入的期间 2025Q4", lines[1]);
        Assert.Equal("year.csv,961,period,期间 2025Q3 不是本次导入的期间 2025Q4", lines[960]);
        Assert.DoesNotContain(await Service.ListImportsAsync(), i => i.Kind == ImportKind.Observations);
        using (var unit = App.Client(App.Token("unit", "A1")))
        {
            var denied = await unit.PostAsync("/office/uploads/errors", Form(token, stage));
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }

        // A file refused only for its periods offers to import each row's own period: a preview per period first.
        var preview = await office.PostAsync("/office/uploads/observations/preview", Form(token, stage));
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var page = WebUtility.HtmlDecode(await preview.Content.ReadAsStringAsync());
        Assert.Contains("year.csv 共 1,280 行，涉及 4 个期间。", page);
        var periods = PreviewRow().Matches(page).Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value} {m.Groups[3].Value} {m.Groups[4].Value}").ToList();
        Assert.Equal(["2025Q1 320 4 80", "2025Q2 320 4 80", "2025Q3 320 4 80", "2025Q4 320 4 80"], periods);
        Assert.DoesNotContain(await Service.ListImportsAsync(), i => i.Kind == ImportKind.Observations);

        // Confirming another file than the one previewed is refused; the previewed one goes in whole.
        var confirm = Stage(page);
        var other = confirm with { Data = Stage(html).Data };
        var sha = Regex.Match(page, """name="sha256" value="([0-9a-f]{64})" """.TrimEnd()).Groups[1].Value;
        var tampered = await office.PostAsync("/office/uploads/observations/confirm", Form(token, other, ("sha256", new string('0', 64))));
        Assert.Equal(HttpStatusCode.BadRequest, tampered.StatusCode);
        var done = await office.PostAsync("/office/uploads/observations/confirm", Form(token, confirm, ("sha256", sha)));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var notice = WebUtility.HtmlDecode(await office.GetStringAsync(done.Headers.Location!.OriginalString));
        Assert.Contains("指标数据已导入：year.csv 共 1280 行（2025Q1 320 行、2025Q2 320 行、2025Q3 320 行、2025Q4 320 行）", notice);
        foreach (var q in new[] { 1, 2, 3, 4 })
            Assert.Equal(320, (await App.Services.GetRequiredService<IAssessStore>().GetObservationsAsync(BaiQianWan.Assess.Rules.Data.Period.OfQuarter(2025, q))).Count);
    }

    [Fact]
    public async Task Ticking_every_period_previews_the_uploaded_file_and_a_bad_one_is_refused_with_its_rows()
    {
        await Service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        using var office = App.Client(App.Token("office"));
        var token = AntiforgeryToken(await office.GetStringAsync("/office/uploads"));

        var preview = await office.PostAsync("/office/uploads/observations", Upload(token, "2025Q3", Mini.ObservationsCsv, "obs.csv", allPeriods: true));

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var page = WebUtility.HtmlDecode(await preview.Content.ReadAsStringAsync());
        Assert.Equal(["2025Q2 9 4 3", "2025Q3 8 4 2"],
            PreviewRow().Matches(page).Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value} {m.Groups[3].Value} {m.Groups[4].Value}"));
        Assert.Empty(await App.Services.GetRequiredService<IAssessStore>().GetObservationsAsync(Mini.Q2));

        var bad = await office.PostAsync("/office/uploads/observations",
            Upload(token, "", "unit,indicator,period,actual,target,baseline\nZZ9,fai,2025Q2,1,,\n", "bad.csv"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var html = WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync());
        Assert.Equal("bad.csv:2:unit: 未知的单位 'ZZ9'", ErrorRow().Match(html) is var m ? $"{m.Groups[1].Value}: {m.Groups[2].Value}" : "");
        Assert.DoesNotContain("data-testid=\"preview-all-periods\"", html);
    }

    [Fact]
    public async Task The_api_lists_200_errors_with_the_total_and_each_kind_and_gives_them_all_as_csv_when_asked()
    {
        using var office = App.Client(App.Token("office"));
        await (await office.PutAsync("/api/units?year=2025&file=units.csv", Api.Csv(Mini.Bytes(Mini.UnitsCsv)))).JsonAsync(HttpStatusCode.OK);
        var body = Encoding.UTF8.GetBytes(FourQuarters());

        var problem = await (await office.PutAsync("/api/periods/2025Q4/observations?file=year.csv", Api.Csv(body))).JsonAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(960, problem.GetProperty("errorCount").GetInt32());
        Assert.Equal(200, problem.GetProperty("errors").GetArrayLength());
        var kind = Assert.Single(problem.GetProperty("errorKinds").EnumerateArray());
        Assert.Equal("960 行的期间不是 2025Q4", kind.GetProperty("summary").GetString());
        Assert.Equal(960, kind.GetProperty("count").GetInt32());
        Assert.Contains("?errors=csv", problem.GetProperty("allErrors").GetString());

        var csv = await office.PutAsync("/api/periods/2025Q4/observations?file=year.csv&errors=csv", Api.Csv(body));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = Encoding.UTF8.GetString((await csv.Content.ReadAsByteArrayAsync())[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(961, lines.Length);
        Assert.Empty(await App.Services.GetRequiredService<IAssessStore>().GetObservationsAsync(BaiQianWan.Assess.Rules.Data.Period.OfQuarter(2025, 1)));
        // A good file with ?errors=csv imports as usual; another value of errors is a 400.
        Assert.Equal(HttpStatusCode.OK, (await office.PutAsync("/api/periods/2025Q2/observations?file=q2.csv&errors=csv",
            Api.Csv(Mini.Bytes("unit,indicator,period,actual,target,baseline\nA1,fai,2025Q2,1,,\n")))).StatusCode);
        await (await office.PutAsync("/api/periods/2025Q4/observations?errors=all", Api.Csv(body))).JsonAsync(HttpStatusCode.BadRequest);
    }

    private sealed record StageFields(string Kind, string File, string Period, string Data);

    private static StageFields Stage(string html)
    {
        string Field(string name) => WebUtility.HtmlDecode(Regex.Match(html, $"""name="{Regex.Escape(name)}" value="([^"]*)" """.TrimEnd()).Groups[1].Value);
        return new StageFields(Field("stage.kind"), Field("stage.file"), Field("stage.period"), Field("stage.data"));
    }

    private static MultipartFormDataContent Form(string token, StageFields stage, params (string Name, string Value)[] more)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), Antiforgery.FieldName },
            { new StringContent(stage.Kind), "stage.kind" },
            { new StringContent(stage.File), "stage.file" },
            { new StringContent(stage.Period), "stage.period" },
            { new StringContent(stage.Data), "stage.data" },
        };
        foreach (var (name, value) in more) form.Add(new StringContent(value), name);
        return form;
    }

    private static MultipartFormDataContent Upload(string token, string period, string csv, string fileName, bool allPeriods = false)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), Antiforgery.FieldName },
            { new StringContent(period), "period" },
        };
        if (allPeriods) form.Add(new StringContent("true"), "allPeriods");
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileNameStar = fileName };
        form.Add(file);
        return form;
    }

    [GeneratedRegex("""<td class="pos" data-label="位置"><code>([^<]*)</code></td>\s*<td data-label="原因">([^<]*)</td>""")]
    private static partial Regex ErrorRow();

    [GeneratedRegex("""<th scope="row" data-label="期间">([^<]*)</th><td class="num" data-label="行数">([^<]*)</td><td class="num" data-label="单位数">([^<]*)</td>\s*<td data-label="指标">(\d+) 个""")]
    private static partial Regex PreviewRow();
}
