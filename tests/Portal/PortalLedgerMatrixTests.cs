using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using BaiQianWan.Assess.Cli.Commands;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Ledger;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// The ledger's pages and changes through the app's own HTTP pipeline, for every caller: the office (two accounts), the
/// task's own unit (town T1), its parent county (A1), another county (A2), an author and nobody. Each change is tried by
/// each caller on a task of its own, prepared in the state the change needs, so a refusal is about who asks, never about
/// the state; after each try the task's version says whether anything was written. The expected table is written out
/// here from the contract (§2), sharing nothing with the service's rules.
/// </summary>
public sealed partial class PortalLedgerMatrixTests() : PortalAppTest("portal-ledger")
{
    public enum Who { Office, Office2, Owner, Parent, Other, Author, Nobody }

    private const string Units = """
        code,name,level,parent,class
        A1,甲一县,county,,甲
        A2,甲二县,county,,甲
        T1,某镇,town,A1,中心镇

        """;

    // The app's clock stands at 2025-10-08 09:00 China time: K-tasks are due at the year's end (an extension may be asked).
    private static readonly DateOnly Due = new(2025, 12, 31);

    /// <summary>What each caller gets for each change (true: done, a redirect back to the task; false: the 403 page; nobody: sign in).</summary>
    public static TheoryData<string, Who, bool> Changes()
    {
        var data = new TheoryData<string, Who, bool>();
        var allowed = new Dictionary<string, Who[]>
        {
            ["submit"] = [Who.Office, Who.Office2, Who.Owner],
            ["extend"] = [Who.Owner],
            ["close"] = [Who.Office, Who.Office2],
            ["return"] = [Who.Office, Who.Office2],
            ["approve"] = [Who.Office, Who.Office2],
            ["refuse"] = [Who.Office, Who.Office2],
            ["reopen"] = [Who.Office, Who.Office2],
            ["cancel"] = [Who.Office, Who.Office2],
            ["resume"] = [Who.Office, Who.Office2],
            ["deadline"] = [Who.Office, Who.Office2],
        };
        foreach (var (change, who) in allowed)
            foreach (var caller in Enum.GetValues<Who>())
                data.Add(change, caller, who.Contains(caller));
        return data;
    }

    private LedgerService Ledger => App.Services.GetRequiredService<LedgerService>();

    private static readonly LedgerActor Owner = LedgerActor.OfUnit("unit:T1", "T1");

    private async Task SeedAsync(params string[] ids)
    {
        var service = App.Services.GetRequiredService<AssessmentService>();
        if ((await App.Services.GetRequiredService<IAssessStore>().GetUnitsAsync(2025)).Count == 0)
            await service.ImportUnitsAsync(2025, Encoding.UTF8.GetBytes(Units), "units.csv", "office");
        var csv = new StringBuilder("id,year,parent,kind,title,unit,lead,leader,due,status,done\nS1,2025,,阶段目标,产业发展,,,,,,\n");
        foreach (var id in ids) csv.Append($"{id},2025,S1,举措,任务{id},T1,,王某,{Due:yyyy-MM-dd},,\n");
        await Ledger.ImportAsync(2025, Encoding.UTF8.GetBytes(csv.ToString()), "tasks.csv", LedgerActor.Office("office"));
    }

    /// <summary>Brings a fresh task to the state <paramref name="change"/> needs (the unit's submission, its request, a close, a cancel).</summary>
    private async Task PrepareAsync(string id, string change)
    {
        var officeX = LedgerActor.Office("office-x");
        switch (change)
        {
            case "close" or "return":
                await Ledger.SubmitAsync(2025, id, Owner, "已完成", [new EvidenceUpload("证明.pdf", Pdf)]);
                break;
            case "approve" or "refuse":
                await Ledger.ExtendAsync(2025, id, Owner, "工期延误", new DateOnly(2026, 3, 31));
                break;
            case "reopen":
                await Ledger.SubmitAsync(2025, id, Owner, "已完成", [new EvidenceUpload("证明.pdf", Pdf)]);
                await Ledger.CloseAsync(2025, id, officeX);
                break;
            case "resume":
                await Ledger.CancelAsync(2025, id, officeX, "政策调整");
                break;
        }
    }

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% evidence\n%%EOF\n");

    private HttpClient Client(Who who)
    {
        var token = who switch
        {
            Who.Office => App.Token("office"),
            Who.Office2 => TokenCommand.Issue(App.Key, "office", null, "office2", TokenCommand.DefaultIssuer, TokenCommand.DefaultAudience, DateTimeOffset.UtcNow,
                TimeSpan.FromHours(1)),
            Who.Owner => App.Token("unit", "T1"),
            Who.Parent => App.Token("unit", "A1"),
            Who.Other => App.Token("unit", "A2"),
            Who.Author => App.Token("author"),
            _ => null,
        };
        return App.Client(token);
    }

    /// <summary>The antiforgery token a page gives this caller (every signed-in page carries one, the 403 page's sign-out form too).</summary>
    private static async Task<string> TokenAsync(HttpClient client, string page)
    {
        var html = await (await client.GetAsync(page)).Content.ReadAsStringAsync();
        return Regex.IsMatch(html, "name=\"__af\"") ? AntiforgeryToken(html) : "none";
    }

    private static HttpContent Form(string change, string token)
    {
        if (change == "submit")
        {
            var multipart = new MultipartFormDataContent
            {
                { new StringContent(token), "__af" },
                { new StringContent("已按要求完成，附验收材料"), "note" },
            };
            var file = new ByteArrayContent(Pdf);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            multipart.Add(file, "files", "验收报告.pdf");
            return multipart;
        }
        return new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__af"] = token,
            ["reason"] = "按程序办理",
            ["note"] = "材料齐全",
            ["date"] = change == "reopen" ? "" : "2026-03-31",
        });
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task Each_change_is_made_only_by_the_callers_the_contract_names(string change, Who who, bool allowed)
    {
        var id = $"K{change}";
        await SeedAsync(id);
        await PrepareAsync(id, change);
        var before = (await Ledger.GetAsync(2025, id, LedgerActor.Office("office")));
        using var client = Client(who);
        var token = who == Who.Nobody ? "none" : await TokenAsync(client, "/ledger/2025/tasks/" + id);
        var response = await client.PostAsync($"/ledger/2025/tasks/{id}/{change}", Form(change, token));
        var body = await response.Content.ReadAsStringAsync();
        var after = await Ledger.GetAsync(2025, id, LedgerActor.Office("office"));
        if (who == Who.Nobody)
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/signin?returnUrl=", response.Headers.Location!.OriginalString);
            Assert.Equal(before.Version, after.Version);
            return;
        }
        if (allowed)
        {
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{change} by {who}: {(int)response.StatusCode} {Text(body)}");
            Assert.Equal($"/ledger/2025/tasks/{id}?done={change}", response.Headers.Location!.OriginalString);
            Assert.Equal(before.Version + 1, after.Version);
            var last = (await Ledger.HistoryAsync(2025, id, LedgerActor.Office("office")))[^1];
            Assert.Equal(change, last.Change.ToWord());
            Assert.Equal(who switch { Who.Office => "office", Who.Office2 => "office2", _ => "unit:T1" }, last.Actor);
            Assert.Equal(ExpectedState(change), after.State);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("您没有权限", body);
            Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal(before.Version, after.Version);
            Assert.Equal(before.State, after.State);
        }
    }

    private static TaskState ExpectedState(string change) => change switch
    {
        "submit" => TaskState.Submitted,
        "close" => TaskState.Closed,
        "cancel" => TaskState.Cancelled,
        _ => TaskState.InProgress,
    };

    public static TheoryData<string, Who, HttpStatusCode> Pages()
    {
        var data = new TheoryData<string, Who, HttpStatusCode>();
        void Row(string page, params (Who Who, HttpStatusCode Status)[] rows)
        {
            foreach (var (who, status) in rows) data.Add(page, who, status);
            data.Add(page, Who.Author, HttpStatusCode.Forbidden);
            data.Add(page, Who.Nobody, HttpStatusCode.Redirect);
        }
        const HttpStatusCode ok = HttpStatusCode.OK, no = HttpStatusCode.Forbidden, none = HttpStatusCode.NotFound;
        foreach (var page in new[] { "/office/ledger", "/office/ledger?unit=T1&state=待核验&light=red&stage=S1&leader=王某&page=2", "/office/ledger/queue" })
            Row(page, (Who.Office, ok), (Who.Owner, no), (Who.Parent, no), (Who.Other, no));
        // A task's history: the office, its unit and the unit's parent; another unit is told it does not exist.
        Row("/ledger/2025/tasks/KREAD", (Who.Office, ok), (Who.Owner, ok), (Who.Parent, ok), (Who.Other, none));
        Row("/ledger/2025/tasks/NOSUCH", (Who.Office, none), (Who.Owner, none), (Who.Other, none));
        Row("/units/T1/ledger", (Who.Office, ok), (Who.Owner, ok), (Who.Parent, no), (Who.Other, no));
        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Each_ledger_page_answers_each_caller_as_the_contract_says(string page, Who who, HttpStatusCode expected)
    {
        await SeedAsync("KREAD");
        using var client = Client(who);
        var response = await client.GetAsync(page);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{page} for {who}: {(int)response.StatusCode} {Text(body)}");
        if (expected == HttpStatusCode.Redirect)
            Assert.Equal($"/signin?returnUrl={Uri.EscapeDataString(new Uri(new Uri("http://x"), page).PathAndQuery)}", response.Headers.Location!.OriginalString);
        if (expected == HttpStatusCode.Forbidden) Assert.Contains("您没有权限", body);
        if (expected == HttpStatusCode.OK) Assert.StartsWith("<!DOCTYPE html>", body);
        if (expected == HttpStatusCode.NotFound) Assert.Contains("没有任务", body);
    }

    [Fact]
    public async Task Evidence_files_download_to_the_office_the_unit_and_its_parent_only_as_attachments()
    {
        await SeedAsync("KFILE");
        await Ledger.SubmitAsync(2025, "KFILE", Owner, "已完成", [new EvidenceUpload("验收报告.pdf", Pdf)]);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Pdf));
        var url = $"/ledger/2025/tasks/KFILE/files/{sha}";
        foreach (var who in new[] { Who.Office, Who.Owner, Who.Parent })
        {
            using var client = Client(who);
            var history = await client.GetStringAsync("/ledger/2025/tasks/KFILE");
            Assert.Contains($"href=\"{url}\"", history);
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(Pdf, await response.Content.ReadAsByteArrayAsync());
            Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
            Assert.Equal("验收报告.pdf", response.Content.Headers.ContentDisposition.FileNameStar);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }
        foreach (var (who, status) in new[] { (Who.Other, HttpStatusCode.NotFound), (Who.Author, HttpStatusCode.Forbidden), (Who.Nobody, HttpStatusCode.Redirect) })
        {
            using var client = Client(who);
            var response = await client.GetAsync(url);
            Assert.Equal(status, response.StatusCode);
            Assert.NotEqual(Pdf, await response.Content.ReadAsByteArrayAsync());
        }
        // A hash that is not in the task's history is not served, even one stored for another task.
        using var office = Client(Who.Office);
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync($"/ledger/2025/tasks/KREAD/files/{sha}")).StatusCode);
    }

    [Fact]
    public async Task The_account_that_submitted_for_a_unit_may_not_verify_it_and_another_office_account_may()
    {
        await SeedAsync("KSELF");
        using var office = Client(Who.Office);
        var token = await TokenAsync(office, "/ledger/2025/tasks/KSELF");
        var submitted = await office.PostAsync("/ledger/2025/tasks/KSELF/submit", Form("submit", token));
        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        var page = await office.GetStringAsync("/ledger/2025/tasks/KSELF");
        Assert.Contains("这份销号申请是本账户提交的，须由考核办另一账户核验", page);
        var queue = await office.GetStringAsync("/office/ledger/queue");
        Assert.Contains("本账户提交的申请，须由考核办另一账户核验", queue);
        Assert.DoesNotContain("data-testid=\"close-KSELF\"", queue);

        var refused = await office.PostAsync("/ledger/2025/tasks/KSELF/close", Form("close", token));
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("账户 office 提交了任务 KSELF 的销号申请，不能由同一账户核验", body);
        Assert.Equal(TaskState.Submitted, (await Ledger.GetAsync(2025, "KSELF", LedgerActor.Office("x"))).State);

        using var office2 = Client(Who.Office2);
        var closed = await office2.PostAsync("/ledger/2025/tasks/KSELF/close", Form("close", await TokenAsync(office2, "/office/ledger/queue")));
        Assert.Equal(HttpStatusCode.Redirect, closed.StatusCode);
        var task = await Ledger.GetAsync(2025, "KSELF", LedgerActor.Office("x"));
        Assert.Equal((TaskState.Closed, new DateOnly(2025, 10, 8)), (task.State, task.Done!.Value));
        Assert.Contains("已核验通过，任务已销号", await office2.GetStringAsync("/ledger/2025/tasks/KSELF?done=close"));
    }

    [Fact]
    public async Task A_wrong_state_a_file_of_another_type_and_a_forged_form_are_refused_in_Chinese_and_change_nothing()
    {
        await SeedAsync("KBAD");
        using var owner = Client(Who.Owner);
        var token = await TokenAsync(owner, "/units/T1/ledger");

        // A PNG named .pdf.
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0 };
        var multipart = new MultipartFormDataContent { { new StringContent(token), "__af" }, { new StringContent("完成"), "note" } };
        multipart.Add(new ByteArrayContent(png), "files", "报告.pdf");
        var wrongType = await owner.PostAsync("/ledger/2025/tasks/KBAD/submit", multipart);
        var body = await wrongType.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongType.StatusCode);
        Assert.Contains("报告.pdf：文件名表明是 PDF，内容却是 PNG，不予接受", body);

        // Close on a task in progress: the office gets the ledger's reason (409), in Chinese.
        using var office = Client(Who.Office);
        var early = await office.PostAsync("/ledger/2025/tasks/KBAD/close", Form("close", await TokenAsync(office, "/office/ledger")));
        var reason = await early.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("任务 KBAD 推进中，只有待核验的任务可以核验通过", reason);
        var message = Regex.Match(reason, "data-testid=\"error-status\">([^<]*)<").Groups[1].Value;
        Assert.DoesNotMatch("[A-Za-z]{3,}", message.Replace("KBAD", "", StringComparison.Ordinal));

        // A bad date, an empty reason.
        var badDate = await office.PostAsync("/ledger/2025/tasks/KBAD/deadline", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__af"] = await TokenAsync(office, "/office/ledger"), ["reason"] = "调整", ["date"] = "31/12/2025",
        }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badDate.StatusCode);
        Assert.Contains("新的完成时限应为“年-月-日”格式的日期（如 2025-06-30），这里是“31/12/2025”", await badDate.Content.ReadAsStringAsync());
        var noReason = await office.PostAsync("/ledger/2025/tasks/KBAD/cancel", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__af"] = await TokenAsync(office, "/office/ledger"), ["reason"] = " ",
        }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
        Assert.Contains("中止原因不能为空", await noReason.Content.ReadAsStringAsync());

        // No antiforgery token.
        var forged = await owner.PostAsync("/ledger/2025/tasks/KBAD/extend", Form("extend", "made-up"));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        var task = await Ledger.GetAsync(2025, "KBAD", LedgerActor.Office("x"));
        Assert.Equal((TaskState.InProgress, 1L, (PendingExtension?)null, Due), (task.State, task.Version, task.Pending, task.Due!.Value));
    }

    [Fact]
    public async Task The_board_counts_and_filters_and_the_unit_home_lists_its_late_and_near_due_tasks()
    {
        await SeedAsync("KA", "KB", "KC");
        // KD (A2, late by 100 days: red), KE (T1, due in two days: blue), KF (T1, late by 5 days: yellow); KA submitted.
        var more = "id,year,parent,kind,title,unit,lead,leader,due,status,done\n" +
                   "S2,2025,,阶段目标,乡村建设,,,,,,\nKD,2025,S2,举措,乙县任务,A2,,李某,2025-06-30,,\n" +
                   "KE,2025,S2,举措,临期任务,T1,,李某,2025-10-10,,\nKF,2025,S2,举措,逾期任务,T1,,李某,2025-10-03,,\n";
        await Ledger.ImportAsync(2025, Encoding.UTF8.GetBytes(more), "more.csv", LedgerActor.Office("office"));
        await Ledger.SubmitAsync(2025, "KA", Owner, "已完成", [new EvidenceUpload("证明.pdf", Pdf)]);

        using var office = Client(Who.Office);
        var board = await office.GetStringAsync("/office/ledger");
        Assert.Equal(["KD", "KF", "KE", "KA", "KB", "KC"], Rows(board));
        Assert.Contains("推进中 <strong>5</strong>", board);
        Assert.Contains("待核验 <strong>1</strong>", board);
        Assert.Contains("红灯（挂牌督办） <strong>1</strong>", board);
        Assert.Contains("黄灯（逾期） <strong>1</strong>", board);
        Assert.Contains("蓝灯（临期） <strong>1</strong>", board);
        Assert.Contains("红灯 逾期 100 天", board);
        Assert.Equal(["KF", "KE"], Rows(await office.GetStringAsync("/office/ledger?stage=S2&unit=T1")));
        Assert.Equal(["KD"], Rows(await office.GetStringAsync("/office/ledger?light=red")));
        Assert.Equal(["KA"], Rows(await office.GetStringAsync("/office/ledger?state=" + Uri.EscapeDataString("待核验"))));
        Assert.Equal(["KD", "KF", "KE"], Rows(await office.GetStringAsync("/office/ledger?leader=" + Uri.EscapeDataString("李某"))));
        Assert.Contains("待核验与延期申请（1）", board);

        using var owner = Client(Who.Owner);
        var home = await owner.GetStringAsync("/units/T1");
        var due = Regex.Match(home, "data-testid=\"ledger-due\"(.*?)</section>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Equal(["KF", "KE"], Regex.Matches(due, ">(K[A-Z]+)</a>").Select(m => m.Groups[1].Value));
        Assert.Contains("黄灯 逾期 5 天", due);
        // The office sees the same on the town's home; the other county (A2) sees its own red task only.
        var officeHome = await office.GetStringAsync("/units/T1");
        Assert.Equal(["KF", "KE"], DueIds(officeHome));
        using var other = Client(Who.Other);
        Assert.Equal(["KD"], DueIds(await other.GetStringAsync("/units/A2")));
    }

    private static List<string> DueIds(string html) =>
        [.. Regex.Matches(Regex.Match(html, "data-testid=\"ledger-due\"(.*?)</section>", RegexOptions.Singleline).Groups[1].Value, ">(K[A-Z]+)</a>")
            .Select(m => m.Groups[1].Value)];

    private static List<string> Rows(string html) =>
        [.. Regex.Matches(Regex.Match(html, "data-testid=\"board\".*?</table>", RegexOptions.Singleline).Value, "<td data-label=\"编号\"><a [^>]*>([^<]+)</a>")
            .Select(m => m.Groups[1].Value)];

    private static string Text(string html) => Regex.Replace(html, "<[^>]+>", " ").Trim() is var t && t.Length > 400 ? t[^400..] : Regex.Replace(html, "<[^>]+>", " ");
}
