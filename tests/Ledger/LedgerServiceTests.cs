using System.IO.Compression;
using System.Text;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Ledger;

namespace BaiQianWan.Assess.Tests.Ledger;

/// <summary>The changes of §2: by role and unit, state by state, audited, concurrent changes, evidence files.</summary>
public sealed class LedgerServiceTests
{
    private const string Tasks = """
        id,year,parent,kind,title,unit,lead,leader,due,status,done
        S1,2025,,阶段目标,产业,,,,,,
        K1,2025,S1,举措,甲县任务,A1,,王某,2025-03-31,,
        K2,2025,S1,举措,乙县任务,A2,,,2025-03-31,,
        K3,2025,S1,举措,镇任务,T1,,,2025-03-31,,

        """;

    private static readonly LedgerActor O1 = LedgerWorld.Office1, O2 = LedgerWorld.Office2, A1 = LedgerWorld.UnitA1, A2 = LedgerWorld.UnitA2;

    private static async Task<LedgerWorld> WorldAsync()
    {
        var w = await LedgerWorld.CreateAsync();
        w.Clock.On("2025-01-02");
        await w.ImportAsync(Tasks);
        return w;
    }

    [Fact]
    public async Task A_submission_verified_by_another_office_account_closes_the_task_on_the_submission_date()
    {
        await using var w = await WorldAsync();
        w.Clock.On("2025-03-20");
        var submitted = await w.Service.SubmitAsync(2025, "K1", A1, "已建成", [LedgerWorld.PdfFile()]);
        Assert.Equal((TaskState.Submitted, new DateOnly(2025, 3, 20), "a1"), (submitted.State, submitted.SubmittedOn!.Value, submitted.SubmittedBy));
        w.Clock.On("2025-04-05");
        var closed = await w.Service.CloseAsync(2025, "K1", O1);
        Assert.Equal((TaskState.Closed, new DateOnly(2025, 3, 20), new DateOnly(2025, 3, 31)), (closed.State, closed.Done!.Value, closed.DueWhenDone!.Value));
        var history = await w.Service.HistoryAsync(2025, "K1", O2);
        Assert.Equal([LedgerChange.Imported, LedgerChange.Submit, LedgerChange.Close], history.Select(e => e.Change));
        var submit = history[1];
        Assert.Equal(("a1", "unit", "A1", "已建成", new DateOnly(2025, 3, 20)), (submit.Actor, submit.Role, submit.ActorUnit, submit.Reason, submit.On));
        var file = Assert.Single(submit.Files);
        Assert.Equal(("证明.pdf", "pdf", (long)LedgerWorld.Pdf().Length), (file.Name, file.Type, file.Size));
        Assert.Equal(LedgerWorld.Pdf(), await w.Ledger.GetFileAsync(file.Sha256));
        Assert.Equal(("office1", "office", (string?)null), (history[2].Actor, history[2].Role, history[2].ActorUnit));
    }

    [Fact]
    public async Task The_account_that_submitted_may_not_verify_it()
    {
        await using var w = await WorldAsync();
        await w.Service.SubmitAsync(2025, "K1", O1, "代为申请", [LedgerWorld.PdfFile()]);
        var e = await Assert.ThrowsAsync<StoreException>(() => w.Service.CloseAsync(2025, "K1", O1));
        Assert.Equal(StoreError.Conflict, e.Error);
        Assert.Contains("不能由同一账户核验", e.Message);
        Assert.Equal(TaskState.Submitted, (await w.Ledger.GetTaskAsync(2025, "K1"))!.State);
        Assert.Equal(TaskState.Closed, (await w.Service.CloseAsync(2025, "K1", O2)).State);
    }

    [Fact]
    public async Task A_return_keeps_the_submission_and_its_files_and_the_task_can_be_submitted_again()
    {
        await using var w = await WorldAsync();
        await w.Service.SubmitAsync(2025, "K1", A1, "第一次", [LedgerWorld.PdfFile("a.pdf", "one")]);
        await Assert.ThrowsAsync<InputRejectedException>(() => w.Service.ReturnAsync(2025, "K1", O1, " "));
        var returned = await w.Service.ReturnAsync(2025, "K1", O1, "材料不全");
        Assert.Equal(TaskState.InProgress, returned.State);
        await w.Service.SubmitAsync(2025, "K1", A1, "第二次", [LedgerWorld.PdfFile("b.pdf", "two")]);
        var history = await w.Service.HistoryAsync(2025, "K1", A1);
        Assert.Equal(["a.pdf", "b.pdf"], history.SelectMany(e => e.Files).Select(f => f.Name));
        Assert.Equal("材料不全", history.Single(e => e.Change == LedgerChange.Return).Reason);
    }

    [Fact]
    public async Task An_extension_is_asked_on_or_before_the_deadline_and_approval_moves_it_keeping_the_first()
    {
        await using var w = await WorldAsync();
        w.Clock.On("2025-04-01");
        var late = await Assert.ThrowsAsync<StoreException>(() => w.Service.ExtendAsync(2025, "K1", A1, "来不及", new DateOnly(2025, 5, 31)));
        Assert.Contains("已过", late.Message);
        w.Clock.On("2025-03-31");
        await Assert.ThrowsAsync<StoreException>(() => w.Service.ExtendAsync(2025, "K1", A1, "来不及", new DateOnly(2025, 3, 30)));
        var asked = await w.Service.ExtendAsync(2025, "K1", A1, "来不及", new DateOnly(2025, 5, 31));
        Assert.Equal(new PendingExtension(new DateOnly(2025, 5, 31), "来不及", "a1", new DateOnly(2025, 3, 31)), asked.Pending);
        await Assert.ThrowsAsync<StoreException>(() => w.Service.ExtendAsync(2025, "K1", A1, "再延", new DateOnly(2025, 6, 30)));
        var approved = await w.Service.DecideAsync(2025, "K1", O1, approve: true);
        Assert.Equal((new DateOnly(2025, 5, 31), new DateOnly(2025, 3, 31), (PendingExtension?)null), (approved.Due!.Value, approved.OriginalDue!.Value, approved.Pending));
        await Assert.ThrowsAsync<StoreException>(() => w.Service.DecideAsync(2025, "K1", O1, approve: false));
    }

    [Fact]
    public async Task A_refusal_keeps_the_deadline_and_a_submission_drops_a_pending_request()
    {
        await using var w = await WorldAsync();
        await w.Service.ExtendAsync(2025, "K1", A1, "来不及", new DateOnly(2025, 5, 31));
        var refused = await w.Service.DecideAsync(2025, "K1", O1, approve: false, "理由不足");
        Assert.Equal((new DateOnly(2025, 3, 31), (DateOnly?)null, (PendingExtension?)null), (refused.Due!.Value, refused.OriginalDue, refused.Pending));
        await w.Service.ExtendAsync(2025, "K1", A1, "再申请", new DateOnly(2025, 4, 30));
        var submitted = await w.Service.SubmitAsync(2025, "K1", A1, "其实已完成", [LedgerWorld.PdfFile()]);
        Assert.Null(submitted.Pending);
        await Assert.ThrowsAsync<StoreException>(() => w.Service.DecideAsync(2025, "K1", O1, approve: true));
    }

    [Fact]
    public async Task A_reopen_clears_done_counts_and_may_set_a_new_deadline_cancel_and_resume_and_set_deadline()
    {
        await using var w = await WorldAsync();
        await w.Service.SubmitAsync(2025, "K1", A1, "完成", [LedgerWorld.PdfFile()]);
        await w.Service.CloseAsync(2025, "K1", O1);
        var reopened = await w.Service.ReopenAsync(2025, "K1", O1, "回头看发现未完成", new DateOnly(2025, 6, 30));
        Assert.Equal((TaskState.InProgress, (DateOnly?)null, 1, new DateOnly(2025, 6, 30), new DateOnly(2025, 3, 31)),
            (reopened.State, reopened.Done, reopened.Reopened, reopened.Due!.Value, reopened.OriginalDue!.Value));
        var moved = await w.Service.SetDeadlineAsync(2025, "K1", O1, "统筹调整", new DateOnly(2025, 7, 31));
        Assert.Equal((new DateOnly(2025, 7, 31), new DateOnly(2025, 3, 31)), (moved.Due!.Value, moved.OriginalDue!.Value));
        Assert.Equal(TaskState.Cancelled, (await w.Service.CancelAsync(2025, "K1", O1, "项目取消")).State);
        await Assert.ThrowsAsync<StoreException>(() => w.Service.SetDeadlineAsync(2025, "K1", O1, "x", new DateOnly(2025, 8, 1)));
        await Assert.ThrowsAsync<StoreException>(() => w.Service.CancelAsync(2025, "K1", O1, "再中止"));
        Assert.Equal(TaskState.InProgress, (await w.Service.ResumeAsync(2025, "K1", O1, "恢复建设")).State);
        await w.Service.SubmitAsync(2025, "K1", A1, "完成", [LedgerWorld.PdfFile()]);
        await w.Service.CloseAsync(2025, "K1", O1);
        await Assert.ThrowsAsync<StoreException>(() => w.Service.CancelAsync(2025, "K1", O1, "已销号的不能中止"));
        Assert.Equal(9, (await w.Service.HistoryAsync(2025, "K1", O1)).Count);
    }

    [Fact]
    public async Task A_grouping_item_has_no_state()
    {
        await using var w = await WorldAsync();
        var e = await Assert.ThrowsAsync<StoreException>(() => w.Service.CancelAsync(2025, "S1", O1, "x"));
        Assert.Contains("分组项", e.Message);
    }

    public static TheoryData<string, string> Refusals() => new()
    {
        // who (account of LedgerWorld), change
        { "a2", "submit" }, { "t1", "submit" }, { "author", "submit" },
        { "a1", "close" }, { "a1", "return" }, { "a1", "decide" }, { "a1", "reopen" }, { "a1", "cancel" }, { "a1", "resume" }, { "a1", "deadline" },
        { "a2", "extend" }, { "office1", "extend" }, { "author", "cancel" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_change_by_the_wrong_role_or_unit_is_refused_and_writes_nothing(string who, string change)
    {
        await using var w = await WorldAsync();
        var actor = who switch
        {
            "a1" => A1, "a2" => A2, "t1" => LedgerWorld.UnitT1, "author" => LedgerWorld.Author, _ => O1,
        };
        // Each change made possible by state, so that only the actor is wrong.
        if (change is "close" or "return") await w.Service.SubmitAsync(2025, "K1", O2, "x", [LedgerWorld.PdfFile()]);
        if (change == "decide") await w.Service.ExtendAsync(2025, "K1", A1, "x", new DateOnly(2025, 4, 30));
        if (change == "reopen")
        {
            await w.Service.SubmitAsync(2025, "K1", A1, "x", [LedgerWorld.PdfFile()]);
            await w.Service.CloseAsync(2025, "K1", O1);
        }
        if (change == "resume") await w.Service.CancelAsync(2025, "K1", O1, "x");
        var before = (await w.Ledger.GetTaskAsync(2025, "K1"))!;
        Task Act() => change switch
        {
            "submit" => w.Service.SubmitAsync(2025, "K1", actor, "x", [LedgerWorld.PdfFile()]),
            "close" => w.Service.CloseAsync(2025, "K1", actor),
            "return" => w.Service.ReturnAsync(2025, "K1", actor, "x"),
            "extend" => w.Service.ExtendAsync(2025, "K1", actor, "x", new DateOnly(2025, 4, 30)),
            "decide" => w.Service.DecideAsync(2025, "K1", actor, true),
            "reopen" => w.Service.ReopenAsync(2025, "K1", actor, "x"),
            "cancel" => w.Service.CancelAsync(2025, "K1", actor, "x"),
            "resume" => w.Service.ResumeAsync(2025, "K1", actor, "x"),
            _ => w.Service.SetDeadlineAsync(2025, "K1", actor, "x", new DateOnly(2025, 9, 30)),
        };
        await Assert.ThrowsAsync<LedgerRefusedException>(Act);
        Assert.Equal(before, await w.Ledger.GetTaskAsync(2025, "K1"));
    }

    [Fact]
    public async Task A_unit_sees_only_its_own_tasks_and_files_go_to_the_office_the_unit_and_its_parent()
    {
        await using var w = await WorldAsync();
        Assert.Equal(["K1"], (await w.Service.ListAsync(2025, A1)).Select(l => l.Task.Id));
        Assert.Equal(["K1", "K2", "K3", "S1"], (await w.Service.ListAsync(2025, O1)).Select(l => l.Task.Id));
        await Assert.ThrowsAsync<LedgerRefusedException>(() => w.Service.ListAsync(2025, A1, unit: "A2"));
        await Assert.ThrowsAsync<StoreException>(() => w.Service.GetAsync(2025, "K2", A1));
        var task = await w.Service.SubmitAsync(2025, "K3", LedgerWorld.UnitT1, "x", [LedgerWorld.PdfFile("镇.pdf", "town")]);
        var sha = (await w.Ledger.GetHistoryAsync(2025, "K3")).SelectMany(e => e.Files).Single().Sha256;
        foreach (var reader in new[] { O1, LedgerWorld.UnitT1, A1 })
            Assert.Equal(LedgerWorld.Pdf("town"), (await w.Service.FileAsync(2025, "K3", sha, reader)).Content);
        var other = await Assert.ThrowsAsync<StoreException>(() => w.Service.FileAsync(2025, "K3", sha, A2));
        Assert.Equal(StoreError.NotFound, other.Error);
        Assert.Equal(StoreError.NotFound, (await Assert.ThrowsAsync<StoreException>(() => w.Service.FileAsync(2025, "K1", sha, O1))).Error);
        Assert.Equal(2, task.Version);
    }

    private static (string, string?, TaskState, long, DateOnly?, DateOnly?, TaskLight, int) Shown(TaskLighting l) =>
        (l.Task.Id, l.Task.Unit, l.Task.State, l.Task.Version, l.Task.Due, l.Task.SubmittedOn, l.Light, l.DaysOverdue);

    [Fact]
    public async Task Todays_lists_see_every_change_and_import_made_through_another_host_and_filter_as_before()
    {
        await using var w = await WorldAsync();
        w.Clock.On("2025-04-05");
        var other = new LedgerService(w.Ledger, w.Store, w.Clock); // another host over the same store
        var office = await w.Service.ListAsync(2025, O1);
        Assert.Equal([("K1", TaskState.InProgress, TaskLight.Yellow, 5), ("K2", TaskState.InProgress, TaskLight.Yellow, 5),
            ("K3", TaskState.InProgress, TaskLight.Yellow, 5), ("S1", TaskState.InProgress, TaskLight.None, 0)],
            office.Select(l => (l.Task.Id, l.Task.State, l.Light, l.DaysOverdue)));
        Assert.Same(office.Select(l => l.Task).First(), (await w.Service.ListAsync(2025, O1))[0].Task); // kept while the stamp stands

        await other.SubmitAsync(2025, "K1", A1, "已建成", [LedgerWorld.PdfFile()]);
        Assert.Equal(["K1"], (await w.Service.ListAsync(2025, O1, state: TaskState.Submitted)).Select(l => l.Task.Id));
        await other.CancelAsync(2025, "K2", O2, "撤销");
        var a2 = Assert.Single(await w.Service.ListAsync(2025, A2));
        Assert.Equal(("K2", TaskState.Cancelled, TaskLight.None), (a2.Task.Id, a2.Task.State, a2.Light));
        await other.ImportAsync(2025, Encoding.UTF8.GetBytes(Tasks + "K4,2025,S1,举措,新任务,A2,,,2025-04-07,,\n"), "tasks.csv", O1);
        var k4 = (await w.Service.ListAsync(2025, O1, unit: "A2")).Single(l => l.Task.Id == "K4");
        Assert.Equal((TaskState.InProgress, TaskLight.Blue), (k4.Task.State, k4.Light));

        // Every filter gives what a host that never listed gives, and what the stored tasks give read by hand.
        var stored = await w.Ledger.GetTasksAsync(2025);
        var cases = new (LedgerActor Actor, string? Unit, TaskState? State, string[] Ids)[]
        {
            (O1, null, null, ["K1", "K2", "K3", "K4", "S1"]),
            (O1, "A2", null, ["K2", "K4"]),
            (O1, null, TaskState.InProgress, ["K3", "K4"]),
            (O1, "A1", TaskState.Submitted, ["K1"]),
            (O1, "A1", TaskState.Closed, []),
            (A1, null, null, ["K1"]),
            (A2, null, TaskState.Cancelled, ["K2"]),
            (LedgerWorld.UnitT1, null, null, ["K3"]),
        };
        foreach (var (actor, unit, state, ids) in cases)
        {
            var warm = await w.Service.ListAsync(2025, actor, unit: unit, state: state);
            var cold = await new LedgerService(w.Ledger, w.Store, w.Clock).ListAsync(2025, actor, unit: unit, state: state);
            Assert.Equal(ids, warm.Select(l => l.Task.Id));
            Assert.Equal(cold.Select(Shown), warm.Select(Shown));
            Assert.Equal(stored.Where(t => ids.Contains(t.Id)).Select(t => (t.Id, t.Unit, t.State, t.Version, t.Due)),
                warm.Select(l => (l.Task.Id, l.Task.Unit, l.Task.State, l.Task.Version, l.Task.Due)));
        }
    }

    [Fact]
    public async Task Of_two_changes_made_from_the_same_version_exactly_one_is_written()
    {
        await using var w = await WorldAsync();
        await w.Service.SubmitAsync(2025, "K1", A1, "x", [LedgerWorld.PdfFile()]);
        var read = (await w.Ledger.GetTaskAsync(2025, "K1"))!;
        LedgerEvent Entry(LedgerChange change, string actor) =>
            new(2025, "K1", read.Version + 1, change, w.Clock.GetUtcNow(), new DateOnly(2025, 1, 2), actor, "office", null, "r", null, []);
        var close = Entry(LedgerChange.Close, "office1");
        var back = Entry(LedgerChange.Return, "office2");
        var results = await Task.WhenAll(
            Attempt(() => w.Ledger.ChangeAsync(LedgerMachine.Apply(read, close), close)),
            Attempt(() => w.Ledger.ChangeAsync(LedgerMachine.Apply(read, back), back)));
        Assert.Single(results, r => r is null);
        var conflict = Assert.Single(results, r => r is not null)!;
        Assert.Equal(StoreError.Conflict, conflict.Error);
        Assert.Contains("已被他人修改", conflict.Message);
        Assert.Equal(3, (await w.Ledger.GetHistoryAsync(2025, "K1")).Count);

        // Through the service: many offices closing and returning at once, one wins; the others are conflicts.
        if ((await w.Ledger.GetTaskAsync(2025, "K1"))!.State == TaskState.Closed) await w.Service.ReopenAsync(2025, "K1", O1, "x");
        else Assert.Equal(TaskState.InProgress, (await w.Ledger.GetTaskAsync(2025, "K1"))!.State);
        await w.Service.SubmitAsync(2025, "K1", A1, "x", [LedgerWorld.PdfFile()]);
        var many = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Attempt(() => i % 2 == 0
            ? w.Service.CloseAsync(2025, "K1", LedgerActor.Office("o" + i))
            : w.Service.ReturnAsync(2025, "K1", LedgerActor.Office("o" + i), "r"))));
        Assert.Single(many, r => r is null);
        Assert.All(many.Where(r => r is not null), r => Assert.Equal(StoreError.Conflict, r!.Error));
        var history = await w.Ledger.GetHistoryAsync(2025, "K1");
        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => e.Sequence));
    }

    private static async Task<StoreException?> Attempt(Func<Task> change)
    {
        try
        {
            await change();
            return null;
        }
        catch (StoreException e)
        {
            return e;
        }
    }

    [Fact]
    public async Task Evidence_is_recognised_by_content_and_a_file_of_another_type_than_its_name_is_refused()
    {
        await using var w = await WorldAsync();
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16];
        var xlsx = Zip("[Content_Types].xml", "xl/workbook.xml");
        var docx = Zip("[Content_Types].xml", "word/document.xml");
        Assert.Equal(["pdf", "png", "jpeg", "xlsx", "docx", null, null],
            new[] { LedgerWorld.Pdf(), png, jpeg, xlsx, docx, Zip("a.txt"), Encoding.UTF8.GetBytes("<html>") }.Select(b => EvidenceTypes.Recognise(b)));
        var e = await Assert.ThrowsAsync<InputRejectedException>(() => w.Service.SubmitAsync(2025, "K1", A1, "x",
        [
            new("照片.pdf", png), new("表.docx", xlsx), new("文.xlsx", docx), new("网页.pdf", Encoding.UTF8.GetBytes("<html>")), new("a.txt", LedgerWorld.Pdf()),
        ]));
        Assert.Equal(
        [
            "照片.pdf:1:-: 文件名表明是 PDF，内容却是 PNG，不予接受",
            "表.docx:1:-: 文件名表明是 DOCX，内容却是 XLSX，不予接受",
            "文.xlsx:1:-: 文件名表明是 XLSX，内容却是 DOCX，不予接受",
            "网页.pdf:1:-: 只接受 PDF、PNG、JPEG、XLSX 或 DOCX 文件（按内容识别），这个文件不是其中任何一种",
            "a.txt:1:-: 文件内容是 PDF，但文件名的扩展名不是 .pdf、.png、.jpg、.jpeg、.xlsx 或 .docx",
        ], e.Errors.Select(x => x.ToString()));
        await Assert.ThrowsAsync<InputRejectedException>(() => w.Service.SubmitAsync(2025, "K1", A1, "x", []));
        await Assert.ThrowsAsync<InputTooLargeException>(() => w.Service.SubmitAsync(2025, "K1", A1, "x",
            [.. Enumerable.Range(0, 11).Select(i => LedgerWorld.PdfFile($"{i}.pdf"))]));
        var big = new byte[EvidenceTypes.MaxBytes + 1];
        LedgerWorld.Pdf().CopyTo(big, 0);
        await Assert.ThrowsAsync<InputTooLargeException>(() => w.Service.SubmitAsync(2025, "K1", A1, "x", [new("big.pdf", big)]));
        Assert.Equal(1, (await w.Ledger.GetTaskAsync(2025, "K1"))!.Version);
        var ok = await w.Service.SubmitAsync(2025, "K1", A1, "x",
            [new("p.png", png), new("j.JPG", jpeg), new("x.xlsx", xlsx), new("d.docx", docx), LedgerWorld.PdfFile()]);
        Assert.Equal(["png", "jpeg", "xlsx", "docx", "pdf"], (await w.Ledger.GetHistoryAsync(2025, "K1")).Last().Files.Select(f => f.Type));
        Assert.Equal(TaskState.Submitted, ok.State);
    }

    private static byte[] Zip(params string[] entries)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var name in entries)
            {
                using var s = zip.CreateEntry(name).Open();
                s.Write("<x/>"u8);
            }
        return stream.ToArray();
    }
}
