using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BaiQianWan.Assess.Cli.Commands;
using BaiQianWan.Assess.Tests.Functions;
using BaiQianWan.Assess.Tests.Kit;

namespace BaiQianWan.Assess.Tests.Ledger;

/// <summary>
/// The app under test (as <c>AssessAppFactory</c> composes it, SQLite) with the 2025 units (counties A1, A2; town T1
/// under A1) imported through the API; each test imports the tasks it needs under ids of its own.
/// </summary>
public sealed class LedgerApiApp : IAsyncLifetime
{
    private readonly TempSqlite _file = new();

    public AssessAppFactory App { get; private set; } = null!;

    public HttpClient Office { get; private set; } = null!;

    public const string UnitsCsv = """
        code,name,level,parent,class
        A1,甲一县,county,,甲
        A2,甲二县,county,,甲
        T1,某镇,town,A1,中心镇

        """;

    public async Task InitializeAsync()
    {
        App = new AssessAppFactory("sqlite", _file.Path);
        Office = App.Client(App.Token("office"));
        var units = await Office.PutAsync("/api/units?year=2025&file=units.csv", Api.Csv(Encoding.UTF8.GetBytes(UnitsCsv)));
        Assert.Equal(HttpStatusCode.OK, units.StatusCode);
    }

    public async Task DisposeAsync()
    {
        Office.Dispose();
        await App.DisposeAsync();
        await _file.DisposeAsync();
    }

    /// <summary>A client for an office account of another name than <c>office</c> (a second office user).</summary>
    public HttpClient OfficeAs(string name) => App.Client(TokenCommand.Issue(App.Key, "office", null, name, TokenCommand.DefaultIssuer,
        TokenCommand.DefaultAudience, DateTimeOffset.UtcNow, TimeSpan.FromHours(1)));

    /// <summary>Imports tasks (id, unit, due) as a tasks file, adding them to the year's ledger.</summary>
    public async Task ImportAsync(params (string Id, string Unit, string Due)[] tasks) => await ImportRowsAsync(
        [.. tasks.Select(t => $"{t.Id},2025,,举措,任务 {t.Id},{t.Unit},牵头单位,责任领导,{t.Due},,")]);

    public async Task ImportRowsAsync(IEnumerable<string> rows)
    {
        var csv = "id,year,parent,kind,title,unit,lead,leader,due,status,done\n" + string.Join("\n", rows) + "\n";
        var response = await Office.PutAsync("/api/ledger/2025/tasks?file=tasks.csv", Api.Csv(Encoding.UTF8.GetBytes(csv)));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}

/// <summary>
/// Issue 24: every change of the ledger (§2) × (office, the task's unit, another unit, the unit's parent county, an author,
/// nobody) through the HTTP API, each with the exact status its role and unit give and, when refused, nothing written;
/// a verification by the account that submitted is refused, and so is a file whose bytes are another type than its name.
/// The expectations are written out here from the contract's table, not derived from the ledger's code.
/// </summary>
public sealed class LedgerApiMatrixTests(LedgerApiApp fixture) : IClassFixture<LedgerApiApp>
{
    /// <summary>The ledger functions whose matrix is this class (the gate-level matrix covers the rest).</summary>
    public static readonly HashSet<string> Functions =
    [
        "LedgerImport", "LedgerHistory", "LedgerSubmit", "LedgerClose", "LedgerReturn", "LedgerExtend", "LedgerDecide", "LedgerReopen",
        "LedgerCancel", "LedgerResume", "LedgerDeadline", "LedgerFile",
    ];

    public enum Who { Office, OwningUnit, OtherUnit, ParentCounty, Author, Anonymous }

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];

    private HttpClient Client(Who who) => who switch
    {
        Who.Office => fixture.App.Client(fixture.App.Token("office")),
        Who.OwningUnit => fixture.App.Client(fixture.App.Token("unit", "T1")),
        Who.OtherUnit => fixture.App.Client(fixture.App.Token("unit", "A2")),
        Who.ParentCounty => fixture.App.Client(fixture.App.Token("unit", "A1")),
        Who.Author => fixture.App.Client(fixture.App.Token("author")),
        _ => fixture.App.Client(null),
    };

    /// <summary>The state a change starts from, how to reach it, its request, and the state it leads to.</summary>
    private sealed record Case(string Precondition, Func<HttpContent> Body, string After, Who[] Allowed);

    private static readonly Who[] OfficeOnly = [Who.Office];

    private static Dictionary<string, Case> Cases() => new()
    {
        ["submit"] = new("in-progress", () => Evidence("验收报告.pdf", Pdf, "一期已建成投产"), "submitted", [Who.Office, Who.OwningUnit]),
        ["close"] = new("submitted", () => Api.Json("""{"note":"核验属实"}"""), "closed", OfficeOnly),
        ["return"] = new("submitted", () => Api.Json("""{"reason":"材料不全"}"""), "in-progress", OfficeOnly),
        ["extend"] = new("in-progress", () => Api.Json("""{"reason":"征地未完成","date":"2026-03-31"}"""), "in-progress", [Who.OwningUnit]),
        ["decide"] = new("pending", () => Api.Json("""{"approve":true,"reason":"同意"}"""), "in-progress", OfficeOnly),
        ["reopen"] = new("closed", () => Api.Json("""{"reason":"回头看发现未投产","date":"2026-06-30"}"""), "in-progress", OfficeOnly),
        ["cancel"] = new("in-progress", () => Api.Json("""{"reason":"政策调整"}"""), "cancelled", OfficeOnly),
        ["resume"] = new("cancelled", () => Api.Json("""{"reason":"恢复推进"}"""), "in-progress", OfficeOnly),
        ["deadline"] = new("in-progress", () => Api.Json("""{"reason":"统筹调整","date":"2026-01-31"}"""), "in-progress", OfficeOnly),
    };

    public static TheoryData<string, Who> Matrix()
    {
        var data = new TheoryData<string, Who>();
        foreach (var change in Cases().Keys)
            foreach (var who in Enum.GetValues<Who>())
                data.Add(change, who);
        return data;
    }

    private static MultipartFormDataContent Evidence(string name, byte[] bytes, string note)
    {
        var form = new MultipartFormDataContent { { new StringContent(note), "note" } };
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", name);
        return form;
    }

    private static string Url(string id, string change = "") => $"/api/ledger/2025/tasks/{id}" + (change.Length > 0 ? "/" + change : "");

    private async Task<JsonElement> TaskAsync(string id)
    {
        var response = await fixture.Office.GetAsync(Url(id));
        return await response.JsonAsync(HttpStatusCode.OK);
    }

    private static async Task Ok(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Brings a new task of T1 to <paramref name="state"/> through the API, as the contract's roles would.</summary>
    private async Task ReachAsync(string id, string state)
    {
        await fixture.ImportAsync((id, "T1", "2025-12-31"));
        using var unit = Client(Who.OwningUnit);
        switch (state)
        {
            case "submitted":
                await Ok(unit.PostAsync(Url(id, "submit"), Evidence("报告.pdf", Pdf, "已完成")));
                break;
            case "pending":
                await Ok(unit.PostAsync(Url(id, "extend"), Api.Json("""{"reason":"需要更多时间","date":"2026-03-31"}""")));
                break;
            case "closed":
                await Ok(unit.PostAsync(Url(id, "submit"), Evidence("报告.pdf", Pdf, "已完成")));
                await Ok(fixture.Office.PostAsync(Url(id, "close"), Api.Json("{}")));
                break;
            case "cancelled":
                await Ok(fixture.Office.PostAsync(Url(id, "cancel"), Api.Json("""{"reason":"暂停"}""")));
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_change_is_made_by_exactly_the_roles_and_units_the_contract_names(string change, Who who)
    {
        var c = Cases()[change];
        var id = $"M-{change}-{who}";
        await ReachAsync(id, c.Precondition);
        var before = await TaskAsync(id);
        var history = before.GetProperty("history").GetArrayLength();

        using var client = Client(who);
        var response = await client.PostAsync(Url(id, change), c.Body());
        var body = await response.Content.ReadAsStringAsync();

        var expected = c.Allowed.Contains(who) ? HttpStatusCode.OK : who == Who.Anonymous ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
        Assert.True(expected == response.StatusCode, $"{change} as {who}: {(int)response.StatusCode}, expected {(int)expected}: {body}");
        var after = await TaskAsync(id);
        if (expected == HttpStatusCode.OK)
        {
            var task = JsonDocument.Parse(body).RootElement;
            Assert.Equal(c.After, task.GetProperty("state").GetString());
            Assert.Equal(history + 1, after.GetProperty("history").GetArrayLength());
            var entry = after.GetProperty("history")[history];
            Assert.Equal(change is "decide" ? "approve" : change, entry.GetProperty("change").GetString());
            Assert.Equal(who == Who.Office ? "office" : "unit:T1", entry.GetProperty("actor").GetString());
            Assert.Equal(who == Who.Office ? "office" : "unit", entry.GetProperty("role").GetString());
            switch (change)
            {
                case "extend":
                    Assert.Equal("2026-03-31", task.GetProperty("pending").GetProperty("proposed").GetString());
                    break;
                case "decide":
                    Assert.Equal("2026-03-31", task.GetProperty("due").GetString());
                    Assert.Equal("2025-12-31", task.GetProperty("originalDue").GetString());
                    break;
                case "deadline":
                    Assert.Equal("2026-01-31", task.GetProperty("due").GetString());
                    break;
                case "reopen":
                    Assert.Equal(1, task.GetProperty("reopened").GetInt32());
                    Assert.Equal(JsonValueKind.Null, task.GetProperty("done").ValueKind);
                    break;
                case "close":
                    Assert.Equal("2025-10-08", task.GetProperty("done").GetString());
                    break;
            }
        }
        else
        {
            // Refused: a problem, and the task and its history exactly as before.
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal((int)expected, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
            Assert.Equal(before.ToString(), after.ToString());
        }
    }

    [Fact]
    public async Task A_verification_by_the_account_that_submitted_is_refused_and_another_office_account_closes()
    {
        await fixture.ImportAsync(("V1", "T1", "2025-12-31"));
        await Ok(fixture.Office.PostAsync(Url("V1", "submit"), Evidence("证明.pdf", Pdf, "考核办代为申请")));
        var refused = await fixture.Office.PostAsync(Url("V1", "close"), Api.Json("{}"));
        var problem = await refused.JsonAsync(HttpStatusCode.Conflict);
        Assert.Contains("office", problem.GetProperty("detail").GetString());
        Assert.Equal("submitted", (await TaskAsync("V1")).GetProperty("task").GetProperty("state").GetString());

        using var second = fixture.OfficeAs("office2");
        var closed = await (await second.PostAsync(Url("V1", "close"), Api.Json("{}"))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("closed", closed.GetProperty("state").GetString());
        Assert.Equal(["imported", "submit", "close"], (await TaskAsync("V1")).GetProperty("history").EnumerateArray().Select(e => e.GetProperty("change").GetString()));
    }

    [Fact]
    public async Task Through_the_worker_pipeline_a_unit_submits_with_a_file_and_another_unit_is_refused()
    {
        // As the Functions host drives it (functions.metadata's route, the worker middleware, the bound parameters).
        await fixture.ImportAsync(("P1", "T1", "2025-12-31"));
        HttpRequestMessage Submit(string unit) => new(HttpMethod.Post, Url("P1", "submit"))
        {
            Content = Evidence("验收报告.pdf", Pdf, "经宿主提交"),
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", fixture.App.Token("unit", unit)) },
        };
        var refused = await WorkerInvocation.SendAsync(fixture.App.Services, Submit("A2"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal("任务 P1 不是单位 A2 的任务，不能申请销号", JsonDocument.Parse(refused.Text).RootElement.GetProperty("detail").GetString());
        var done = await WorkerInvocation.SendAsync(fixture.App.Services, Submit("T1"));
        Assert.True(done.Status == HttpStatusCode.OK, done.Text);
        Assert.Equal("submitted", JsonDocument.Parse(done.Text).RootElement.GetProperty("state").GetString());
        var file = Assert.Single((await TaskAsync("P1")).GetProperty("history")[1].GetProperty("files").EnumerateArray());
        Assert.Equal(("验收报告.pdf", Pdf.Length), (file.GetProperty("name").GetString(), file.GetProperty("size").GetInt32()));
    }

    [Fact]
    public async Task A_file_whose_bytes_are_another_type_than_its_name_is_refused_and_nothing_is_written()
    {
        await fixture.ImportAsync(("W1", "T1", "2025-12-31"));
        using var unit = Client(Who.OwningUnit);
        var before = await TaskAsync("W1");
        var refused = await unit.PostAsync(Url("W1", "submit"), Evidence("验收报告.pdf", Png, "其实是图片"));
        var problem = await refused.JsonAsync(HttpStatusCode.UnprocessableEntity);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetString()!;
        Assert.StartsWith("验收报告.pdf:", error);
        Assert.Contains("png", error, StringComparison.OrdinalIgnoreCase);
        var none = await unit.PostAsync(Url("W1", "submit"), Evidence("说明.txt", Encoding.UTF8.GetBytes("纯文本"), "不是五种之一"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, none.StatusCode);
        var noFile = await unit.PostAsync(Url("W1", "submit"), new MultipartFormDataContent { { new StringContent("没有文件"), "note" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noFile.StatusCode);
        Assert.Equal(before.ToString(), (await TaskAsync("W1")).ToString());
    }

    [Fact]
    public async Task Evidence_is_downloaded_by_the_office_the_unit_and_its_parent_only_as_an_attachment()
    {
        await fixture.ImportAsync(("F1", "T1", "2025-12-31"));
        using (var unit = Client(Who.OwningUnit))
            await Ok(unit.PostAsync(Url("F1", "submit"), Evidence("验收报告.pdf", Pdf, "已完成")));
        var file = Assert.Single((await TaskAsync("F1")).GetProperty("history")[1].GetProperty("files").EnumerateArray());
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Pdf));
        Assert.Equal(sha, file.GetProperty("sha256").GetString());
        Assert.Equal("pdf", file.GetProperty("type").GetString());
        var url = file.GetProperty("url").GetString()!;
        Assert.Equal($"/api/ledger/2025/tasks/F1/files/{sha}", url);

        var expected = new Dictionary<Who, HttpStatusCode>
        {
            [Who.Office] = HttpStatusCode.OK, [Who.OwningUnit] = HttpStatusCode.OK, [Who.ParentCounty] = HttpStatusCode.OK,
            [Who.OtherUnit] = HttpStatusCode.NotFound, [Who.Author] = HttpStatusCode.Forbidden, [Who.Anonymous] = HttpStatusCode.Unauthorized,
        };
        foreach (var (who, status) in expected)
        {
            using var client = Client(who);
            var response = await client.GetAsync(url);
            Assert.True(status == response.StatusCode, $"{who}: {(int)response.StatusCode}, expected {(int)status}");
            if (status != HttpStatusCode.OK) continue;
            Assert.Equal(Pdf, await response.Content.ReadAsByteArrayAsync());
            Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Equal("验收报告.pdf", response.Content.Headers.ContentDisposition?.FileNameStar);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        }
        // A hash that is not the task's is not served, even to the office.
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Office.GetAsync($"/api/ledger/2025/tasks/F1/files/{new string('0', 64)}")).StatusCode);
    }

    [Fact]
    public async Task A_unit_lists_and_reads_its_own_tasks_only()
    {
        await fixture.ImportAsync(("L1", "T1", "2025-10-10"), ("L2", "A2", "2025-09-30"));
        using var t1 = Client(Who.OwningUnit);
        var own = await (await t1.GetAsync("/api/ledger/2025/tasks?on=2025-10-08")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("2025-10-08", own.GetProperty("on").GetString());
        var ids = own.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()).ToList();
        Assert.Contains("L1", ids);
        Assert.DoesNotContain("L2", ids);
        Assert.All(own.GetProperty("tasks").EnumerateArray(), t => Assert.Equal("T1", t.GetProperty("unit").GetString()));
        var l1 = own.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("id").GetString() == "L1");
        Assert.Equal(("blue", "蓝"), (l1.GetProperty("light").GetString(), l1.GetProperty("lightName").GetString()));

        // Another unit's list filter is refused; its task reads as not found; the office sees both with their lights.
        Assert.Equal(HttpStatusCode.Forbidden, (await t1.GetAsync("/api/ledger/2025/tasks?unit=A2")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await t1.GetAsync(Url("L2"))).StatusCode);
        var all = await (await fixture.Office.GetAsync("/api/ledger/2025/tasks?on=2025-10-08&state=in-progress")).JsonAsync(HttpStatusCode.OK);
        var l2 = all.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("id").GetString() == "L2");
        Assert.Equal(("yellow", 8), (l2.GetProperty("light").GetString(), l2.GetProperty("daysOverdue").GetInt32()));
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Office.GetAsync("/api/ledger/2025/tasks?state=done")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Office.GetAsync("/api/ledger/2025/tasks?on=10/08/2025")).StatusCode);
    }

    [Fact]
    public async Task A_bad_tasks_file_is_refused_whole_with_every_bad_row_and_a_unit_may_not_import()
    {
        var csv = "id,year,parent,kind,title,unit,lead,leader,due,status,done\n" +
                  "B1,2025,,举措,好的任务,T1,,,2025-12-31,,\n" +
                  "B2,2025,,举措,未知单位,ZZ9,,,2025-12-31,,\n" +
                  "B3,2025,,举措,坏日期,T1,,,2025-13-01,,\n";
        var refused = await fixture.Office.PutAsync("/api/ledger/2025/tasks?file=tasks.csv", Api.Csv(Encoding.UTF8.GetBytes(csv)));
        var problem = await refused.JsonAsync(HttpStatusCode.UnprocessableEntity);
        var errors = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(2, problem.GetProperty("errorCount").GetInt32());
        Assert.StartsWith("tasks.csv:3:", errors[0]);
        Assert.StartsWith("tasks.csv:4:", errors[1]);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Office.GetAsync(Url("B1"))).StatusCode);

        using var unit = Client(Who.OwningUnit);
        var good = Encoding.UTF8.GetBytes("id,year,parent,kind,title,unit,lead,leader,due,status,done\nB4,2025,,举措,任务,T1,,,2025-12-31,,\n");
        Assert.Equal(HttpStatusCode.Forbidden, (await unit.PutAsync("/api/ledger/2025/tasks?file=tasks.csv", Api.Csv(good))).StatusCode);
        using var author = Client(Who.Author);
        Assert.Equal(HttpStatusCode.Forbidden, (await author.PutAsync("/api/ledger/2025/tasks?file=tasks.csv", Api.Csv(good))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Office.GetAsync(Url("B4"))).StatusCode);
    }

    [Fact]
    public async Task The_observations_of_a_quarter_are_the_office_csv_of_the_ledger_on_its_last_day()
    {
        // T1 in Q1: O1 closed on time (loaded), O2 due 02-28 and still open (overdue on 03-31). Every other task of T1 is
        // due 2025-10-10 or later and changed in October, so it counts nowhere in Q1.
        await fixture.ImportRowsAsync(
        [
            "O1,2025,,举措,按期完成,T1,,,2025-03-31,已销号,2025-03-20",
            "O2,2025,,举措,逾期未完成,T1,,,2025-02-28,,",
        ]);
        var response = await fixture.Office.GetAsync("/api/ledger/observations/2025Q1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("unit,indicator,period,actual,target", lines[0]);
        Assert.Equal(
        [
            "T1,ledger_closed,2025Q1,1,2",
            "T1,ledger_closed_on_time,2025Q1,1,2",
            "T1,ledger_due,2025Q1,2,",
            "T1,ledger_overdue,2025Q1,1,",
            "T1,ledger_reopened,2025Q1,0,",
        ], lines.Where(l => l.StartsWith("T1,", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("A1,", StringComparison.Ordinal));

        using var unit = Client(Who.OwningUnit);
        Assert.Equal(HttpStatusCode.Forbidden, (await unit.GetAsync("/api/ledger/observations/2025Q1")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Office.GetAsync("/api/ledger/observations/2025Q5")).StatusCode);
    }
}
