using System.Globalization;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Tests.Functions;
using Microsoft.Playwright;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// The portal in Chromium against the app started on its own with a fresh SQLite store: each role's path through a
/// quarter, a unit kept out of another's pages, a bad upload's rows, a broken ruleset's lines; axe on every page visited.
/// Set <c>PORTAL_SCREENSHOTS</c> to a folder to keep screenshots of the four main pages (docs/ uses them).
/// </summary>
[Trait("Cost", "Slow")]
public sealed class PortalEndToEndTests(PortalServer server, Chromium chromium) : IClassFixture<PortalServer>, IClassFixture<Chromium>
{
    private static readonly string Q3 = TestProvince.Period.ToString();
    private readonly List<string> _axe = [];

    private async Task<IPage> SignInAsync(string name, string password, int width = 1280)
    {
        var context = await chromium.ContextAsync(width, server.Url);
        var page = await context.NewPageAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GotoAsync("/");
        Assert.EndsWith("/signin", page.Url);
        await page.FillAsync("#name", name);
        await page.FillAsync("#password", password);
        await page.ClickAsync("form[data-testid=signin] button[type=submit]");
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        return page;
    }

    private async Task AxeAsync(IPage page, string label)
    {
        var result = await Chromium.AxeAsync(page);
        foreach (var v in result.Violations.Where(v => v.Impact is "serious" or "critical"))
            _axe.Add($"{label}: {v.Id} ({v.Impact}) {v.Help}: {string.Join(" | ", v.Nodes.Take(2).Select(n => n.Html))}");
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("PORTAL_SCREENSHOTS") is not { Length: > 0 } folder) return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = false });
    }

    private static async Task<int> StatusOfAsync(IPage page, string url) => (await page.GotoAsync(url))!.Status;

    [Fact]
    public async Task A_quarter_through_the_portal_from_upload_to_a_countys_scorecard()
    {
        var countyA = TestProvince.CountyA;
        var countyB = TestProvince.CountyB;

        // Office: the first sign-in with the one-time password asks for a new one.
        var office = await SignInAsync("office", server.OfficeOneTimePassword);
        Assert.EndsWith("/password", office.Url);
        await AxeAsync(office, "password");
        await office.FillAsync("#current", server.OfficeOneTimePassword);
        await office.FillAsync("#replacement", "Kaohe-ban-new-2025"); // not containing the login name
        await office.ClickAsync("form[data-testid=password] button");
        Assert.Contains("/office/runs", office.Url);
        Assert.Equal("省考核办", await office.InnerTextAsync("[data-testid=who]"));

        // Office: units and the quarter's figures.
        await office.GotoAsync("/office/uploads");
        await office.FillAsync("#units-year", "2025");
        await office.SetInputFilesAsync("#units-file", new FilePayload { Name = "units.csv", MimeType = "text/csv", Buffer = TestProvince.UnitsCsv() });
        await office.ClickAsync("form[data-testid=upload-units] button");
        Assert.Equal($"单位名单已导入：units.csv 共 {TestProvince.Units.Count} 个单位（2025 年）", await office.InnerTextAsync(".notice"));
        await office.FillAsync("#obs-period", Q3);
        await office.SetInputFilesAsync("#obs-file", new FilePayload { Name = "observations.csv", MimeType = "text/csv", Buffer = TestProvince.ObservationsCsv() });
        await office.ClickAsync("form[data-testid=upload-observations] button");
        var figures = TestProvince.Observations.Count;
        Assert.Equal($"指标数据已导入：observations.csv 共 {figures} 行（{Q3} {figures} 行）", await office.InnerTextAsync(".notice"));
        Assert.Equal(2, await office.Locator("[data-testid=imports] tbody tr").CountAsync());
        await AxeAsync(office, "uploads");

        // Author: a new ruleset typed into the editor, saved as version 1, previewed against the quarter.
        var author = await SignInAsync("author", PortalServer.Password);
        Assert.EndsWith("/rulesets", author.Url);
        await author.ClickAsync("text=新建规则集 >> nth=-1");
        await author.FillAsync("#yaml", SampleRulesets.County);
        await Assertions.Expect(author.Locator("[data-testid=editor-status]")).ToHaveTextAsync("校验通过", new() { Timeout = 30_000 });
        await AxeAsync(author, "editor");
        await author.ClickAsync("[data-testid=save]");
        Assert.Contains("/rulesets/county-2025/1/preview", author.Url);
        await author.GotoAsync($"/rulesets/county-2025/1/preview?period={Q3}");
        var counties = TestProvince.Counties.Count(c => c.Class is "创先" or "进位" or "消薄");
        Assert.Equal(counties, await author.Locator("table.preview tbody tr").CountAsync());
        await AxeAsync(author, "preview");

        // Office: activates version 1 from the rulesets page.
        await office.GotoAsync("/rulesets");
        await office.ClickAsync("[data-testid=activate-county-2025-1]");
        Assert.Equal("已启用该版本", await office.InnerTextAsync(".notice"));
        await AxeAsync(office, "rulesets");

        // Author: version 2 doubles the GDP increment step; the preview sets it beside the active version, highlighting moves.
        await author.GotoAsync("/rulesets/county-2025/1/edit");
        var v1 = await author.InputValueAsync("#yaml");
        var at = v1.IndexOf("per: 1\n", StringComparison.Ordinal);
        await author.FillAsync("#yaml", v1[..at] + "per: 2\n" + v1[(at + "per: 1\n".Length)..]);
        await author.ClickAsync("[data-testid=save]");
        Assert.Contains("/rulesets/county-2025/2/preview", author.Url);
        await author.GotoAsync($"/rulesets/county-2025/2/preview?period={Q3}");
        var rows = await author.Locator("table.preview tbody tr").EvaluateAllAsync<string[][]>(
            "rows => rows.map(r => [r.className, r.cells[2].innerText, r.cells[5].innerText, r.cells[3].innerText, r.cells[6].innerText])");
        Assert.Equal(counties, rows.Length);
        Assert.All(rows, r => Assert.Equal(r[1] != r[2] || r[3] != r[4], r[0] == "changed"));
        Assert.Contains(rows, r => r[0] == "changed");
        // The preview says who activates and leads to the diff and back to the editor on the version.
        Assert.Equal("预览不改变正在使用的版本：v2 由考核办启用（在规则集页或差异页），规则作者不能启用。", await author.InnerTextAsync("[data-testid=preview-activation]"));
        await author.ClickAsync("[data-testid=preview-links] >> text=与启用版 v1 的差异");
        Assert.EndsWith("/rulesets/county-2025/diff?from=1&to=2", author.Url);
        Assert.Contains("per: 2", await author.InnerTextAsync("table.diff tr.added"));
        await author.GoBackAsync();
        await author.ClickAsync("[data-testid=preview-links] >> text=回到编辑器（v2）");
        Assert.EndsWith("/rulesets/county-2025/2/edit", author.Url);
        Assert.Contains("per: 2\n", await author.InputValueAsync("#yaml"));

        // Office: the diff between the versions is the one changed line.
        await office.GotoAsync("/rulesets/county-2025/diff?from=1&to=2");
        Assert.Equal("1", await office.InnerTextAsync("[data-testid=added]"));
        Assert.Equal("1", await office.InnerTextAsync("[data-testid=removed]"));
        Assert.Contains("per: 2", await office.InnerTextAsync("table.diff tr.added"));
        await AxeAsync(office, "diff");

        // Office: evaluate the quarter with the active version (1), watch it finish, review, publish.
        await office.GotoAsync("/office/runs");
        await office.FillAsync("#run-period", Q3);
        await office.SelectOptionAsync("#run-ruleset", "county-2025");
        await office.ClickAsync("form[data-testid=start-run] button");
        Assert.Contains("/office/runs/", office.Url);
        await Assertions.Expect(office.Locator("[data-testid=progress] [data-testid=status]")).ToHaveTextAsync("已完成", new() { Timeout = 180_000 });
        Assert.Equal($"{counties}/{counties}", await office.InnerTextAsync("[data-testid=scorecards-count]"));
        Assert.Equal(3, await office.Locator("table.ranking").CountAsync());
        var reviewed = await office.Locator($"table.ranking tr:has(code:text-is('{countyA.Code}'))").EvaluateAsync<string[]>(
            "r => [r.cells[0].innerText, r.cells[3].innerText, r.cells[4].innerText]");
        await AxeAsync(office, "run");
        await ShotAsync(office, "office-run");
        // Before publishing, the review opens the run's own scorecard (page and PDF) and class bulletin.
        var runUrl = office.Url;
        var runPath = new Uri(runUrl).AbsolutePath;
        await office.ClickAsync($"table.ranking tr:has(code:text-is('{countyA.Code}')) a");
        Assert.EndsWith($"{runPath}/units/{countyA.Code}", office.Url);
        Assert.Equal(reviewed[1], await office.InnerTextAsync("[data-testid=total]"));
        var runPdf = await office.Context.APIRequest.GetAsync($"{runPath}/units/{countyA.Code}/pdf");
        Assert.Equal(200, runPdf.Status);
        Assert.Equal("%PDF"u8.ToArray(), (await runPdf.BodyAsync())[..4]);
        await AxeAsync(office, "run-scorecard");
        await office.GotoAsync(runUrl);
        await office.Locator("[data-testid=class-documents] a", new() { HasTextString = $"“{countyA.Class}”类通报" }).ClickAsync();
        Assert.Equal(TestProvince.Counties.Count(c => c.Class == countyA.Class), await office.Locator("[data-testid=ranking] tbody tr").CountAsync());
        Assert.Equal(200, (await office.Context.APIRequest.GetAsync((await office.GetAttributeAsync("text=下载通报 PDF", "href"))!)).Status);
        await AxeAsync(office, "run-bulletin");
        await office.GotoAsync(runUrl);
        await office.ClickAsync("[data-testid=publish]");
        Assert.Equal("已发布：各单位现在可以看到本期结果", await office.InnerTextAsync(".notice"));
        var zip = await office.RunAndWaitForDownloadAsync(() => office.ClickAsync("text=下载本期记分卡 ZIP"));
        var zipPath = await zip.PathAsync();
        Assert.Equal("PK"u8.ToArray(), File.ReadAllBytes(zipPath!)[..2]);

        // Office: the audit log filtered to publications; accounts with a new one made.
        await office.GotoAsync("/office/audit?action=publish");
        Assert.Equal("1", await office.InnerTextAsync("[data-testid=audit-count]"));
        await AxeAsync(office, "audit");
        await office.GotoAsync("/office/accounts");
        await office.FillAsync("#a-name", "town-liaison");
        await office.FillAsync("#a-display", "镇联络员");
        await office.SelectOptionAsync("#a-role", "unit");
        await office.FillAsync("#a-unit", TestProvince.TownOf(countyA).Code);
        await office.ClickAsync("form[data-testid=new-account] button");
        Assert.Matches("^[A-Za-z0-9]{14}$", await office.InnerTextAsync("[data-testid=issued] .secret"));
        Assert.Equal(6, await office.Locator("[data-testid=accounts] tbody tr").CountAsync());
        await AxeAsync(office, "accounts");
        // The new account is in the audit log under the office that made it, found by the page's filter.
        await office.GotoAsync("/office/audit");
        await office.FillAsync("#f-actor", "office");
        await office.SelectOptionAsync("#f-action", "account.create");
        await office.FillAsync("#f-text", "town-liaison");
        await office.ClickAsync("form[data-testid=audit-filter] button");
        Assert.Equal("1", await office.InnerTextAsync("[data-testid=audit-count]"));
        Assert.Equal(["office", "account.create", "town-liaison", $"role=unit unit={TestProvince.TownOf(countyA).Code} name=镇联络员"],
            (await office.Locator("[data-testid=audit] tbody tr td").AllInnerTextsAsync()).Skip(2));

        // Unit: county A's home shows the published figures the office reviewed, and its own scorecard.
        var unit = await SignInAsync("county-a", PortalServer.Password);
        Assert.EndsWith($"/units/{countyA.Code}", unit.Url);
        Assert.Equal(reviewed[1], (await unit.Locator("[data-testid=latest] .big").AllInnerTextsAsync())[0]);
        Assert.StartsWith(reviewed[0] + "/", (await unit.Locator("[data-testid=latest] .big").AllInnerTextsAsync())[1]);
        Assert.Equal(reviewed[2], (await unit.Locator("[data-testid=latest] .big").AllInnerTextsAsync())[2]);
        Assert.Equal(1, await unit.Locator("[data-testid=trend] circle").CountAsync());
        await AxeAsync(unit, "unit-home");
        await ShotAsync(unit, "unit-home");
        await unit.ClickAsync("text=查看本期记分卡");
        Assert.Equal(reviewed[1], await unit.InnerTextAsync("[data-testid=total]"));
        await AxeAsync(unit, "scorecard");
        var pdf = await unit.Context.APIRequest.GetAsync($"/units/{countyA.Code}/scorecards/{Q3}/pdf");
        Assert.Equal(200, pdf.Status);
        Assert.Equal("%PDF"u8.ToArray(), (await pdf.BodyAsync())[..4]);
        await unit.GotoAsync($"/units/{countyA.Code}/bulletin/{Q3}");
        var classSize = TestProvince.Counties.Count(c => c.Class == countyA.Class);
        Assert.Equal(classSize, await unit.Locator("[data-testid=ranking] tbody tr").CountAsync());
        await AxeAsync(unit, "bulletin");
        await unit.GotoAsync($"/units/{countyA.Code}/towns");
        Assert.Contains("还没有发布乡镇的考核结果", await unit.InnerTextAsync("main"));
        await AxeAsync(unit, "towns");

        // Unit: another county's pages and documents are 403 and show nothing of it.
        foreach (var url in new[] { $"/units/{countyB.Code}", $"/units/{countyB.Code}/scorecards/{Q3}", $"/units/{countyB.Code}/bulletin/{Q3}", $"/units/{countyB.Code}/towns" })
        {
            Assert.Equal(403, await StatusOfAsync(unit, url));
            Assert.DoesNotContain(countyB.Name, await unit.ContentAsync());
            Assert.Contains("您没有权限查看此页面", await unit.InnerTextAsync("main"));
        }
        await AxeAsync(unit, "403");
        var theirs = await unit.Context.APIRequest.GetAsync($"/units/{countyB.Code}/scorecards/{Q3}/pdf");
        Assert.Equal(403, theirs.Status);
        Assert.DoesNotContain("%PDF", await theirs.TextAsync());
        Assert.Equal(403, (await unit.Context.APIRequest.GetAsync($"/api/periods/{Q3}/scorecards/{countyB.Code}.pdf")).Status);
        Assert.Equal(403, await StatusOfAsync(unit, "/office/runs"));

        // Phones: the main pages at 375 px.
        var phone = await SignInAsync("county-a", PortalServer.Password, 375);
        await AxeAsync(phone, "unit-home@375");
        await phone.GotoAsync($"/units/{countyA.Code}/scorecards/{Q3}");
        await AxeAsync(phone, "scorecard@375");
        var officePhone = await SignInAsync("office2", PortalServer.Password, 375);
        await officePhone.GotoAsync("/office/runs");
        await AxeAsync(officePhone, "runs@375");
        await officePhone.ClickAsync("[data-testid=runs] tbody a");
        await AxeAsync(officePhone, "run@375");
        Assert.True(await officePhone.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth") <= 0);
        var phoneRun = officePhone.Url;
        await officePhone.ClickAsync("table.ranking tbody a >> nth=0");
        Assert.Contains("/units/", officePhone.Url);
        await AxeAsync(officePhone, "run-scorecard@375");
        Assert.True(await officePhone.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth") <= 0);
        await officePhone.GotoAsync(phoneRun);
        await officePhone.ClickAsync("[data-testid=class-documents] a >> nth=0");
        Assert.Contains("/bulletins/", officePhone.Url);
        await AxeAsync(officePhone, "run-bulletin@375");
        Assert.True(await officePhone.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth") <= 0);

        // Sign out: the session is gone.
        await unit.GotoAsync($"/units/{countyA.Code}");
        await unit.ClickAsync("text=退出");
        Assert.EndsWith("/signin", unit.Url);
        await unit.GotoAsync($"/units/{countyA.Code}");
        Assert.Contains("/signin?returnUrl=", unit.Url);

        Assert.True(_axe.Count == 0, string.Join("\n", _axe));
    }

    [Fact]
    public async Task A_bad_upload_lists_each_rejected_row_and_writes_nothing()
    {
        var office = await SignInAsync("office2", PortalServer.Password);
        await office.GotoAsync("/office/uploads");
        var before = await office.Locator("[data-testid=imports] tbody tr").CountAsync();
        var bad = "code,name,level,parent,class\nX1,甲县,county,,创先\nX2,乙县,province,,创先\nX1,丙县,county,,进位\n"u8.ToArray();
        await office.FillAsync("#units-year", "2031");
        await office.SetInputFilesAsync("#units-file", new FilePayload { Name = "bad-units.csv", MimeType = "text/csv", Buffer = bad });
        await office.ClickAsync("form[data-testid=upload-units] button");
        var positions = await office.Locator("[data-testid=errors] td.pos").AllInnerTextsAsync();
        Assert.Contains(positions, p => p.StartsWith("bad-units.csv:3:", StringComparison.Ordinal)); // row 3: level 'province'
        Assert.All(positions, p => Assert.Matches(@"^bad-units\.csv:\d+:[^:]+$", p));
        Assert.Contains("未写入任何数据", await office.InnerTextAsync("main"));
        Assert.Equal(before, await office.Locator("[data-testid=imports] tbody tr").CountAsync());
        await AxeAsync(office, "uploads-rejected");
        await ShotAsync(office, "office-uploads");
        Assert.True(_axe.Count == 0, string.Join("\n", _axe));
    }

    [Fact]
    public async Task A_broken_ruleset_shows_its_errors_at_their_lines_and_is_not_saved()
    {
        var author = await SignInAsync("author", PortalServer.Password);
        await author.GotoAsync("/rulesets/new");
        var yaml = SampleRulesets.County.Replace("id: county-2025", "id: broken-2025").Replace("method: increment", "method: incremental");
        var lines = yaml.Split('\n');
        var expected = lines.Select((l, i) => (l, i + 1)).Where(t => t.l.Contains("method: incremental")).Select(t => t.Item2.ToString(CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(expected);
        await author.FillAsync("#yaml", yaml);
        await Assertions.Expect(author.Locator(".gutter li.err")).ToHaveCountAsync(expected.Count, new() { Timeout = 30_000 });
        Assert.Equal(expected, await author.Locator(".gutter li.err").AllInnerTextsAsync());
        Assert.All(await author.Locator("[data-testid=errors] td.pos").AllInnerTextsAsync(),
            p => Assert.Contains(p.Split(':')[1], expected));
        await AxeAsync(author, "editor-errors");
        await ShotAsync(author, "author-editor");

        // Saving posts the form: refused with the same lines marked, and nothing is stored.
        await author.ClickAsync("[data-testid=save]");
        Assert.Equal("有错误，未保存", await author.InnerTextAsync(".alert"));
        Assert.Equal(expected, await author.Locator(".gutter li.err").AllInnerTextsAsync());
        await author.GotoAsync("/rulesets");
        Assert.Equal(0, await author.Locator("[data-testid=ruleset-broken-2025]").CountAsync());
        Assert.True(_axe.Count == 0, string.Join("\n", _axe));
    }
}
