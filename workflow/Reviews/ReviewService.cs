using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow.Ledger;
using BaiQianWan.Assess.Workflow.Publications;

namespace BaiQianWan.Assess.Workflow.Reviews;

/// <summary>
/// Who acts in the notice-and-review flow: an account with its role and, for a unit, its unit code (hosts build it from
/// their one caller). The office publishes, answers and makes final; a unit files and withdraws requests on its own results.
/// </summary>
/// <param name="Account">The account name (or CLI operator), recorded with each change.</param>
/// <param name="Role">Office or unit.</param>
/// <param name="Unit">The unit's code when <paramref name="Role"/> is <see cref="AccountRole.Unit"/>.</param>
public sealed record ReviewActor(string Account, AccountRole Role, string? Unit = null)
{
    /// <summary>The office acting as <paramref name="account"/>.</summary>
    public static ReviewActor Office(string account) => new(account, AccountRole.Office);

    /// <summary>A unit's account.</summary>
    public static ReviewActor OfUnit(string account, string unit) => new(account, AccountRole.Unit, unit);

    /// <summary>True for the office.</summary>
    public bool IsOffice => Role == AccountRole.Office;
}

/// <summary>A change the actor may not make (wrong role or unit): hosts answer 403, the CLI exits 4. Nothing is written.</summary>
public sealed class ReviewRefusedException(string message) : Exception(message);

/// <summary>The counts the final bulletin states: N requests filed on the period's publications since the first notice, M corrected.</summary>
/// <param name="Filed">N: every request filed on the period's publications (whatever became of it).</param>
/// <param name="Corrected">M: those corrected (a correcting run published).</param>
public sealed record ReviewCounts(int Filed, int Corrected)
{
    /// <summary>The final bulletin's sentence: <c>公示期间收到复核申请 N 件，更正 M 件</c>.</summary>
    public string Text => $"公示期间收到复核申请 {Filed} 件，更正 {Corrected} 件";
}

/// <summary>
/// Notice and review (公示、复核) for any publication (quarter, month, year): provisional publication with a notice, the
/// units' review requests with evidence, the office's answers (维持 / 更正, a correction being a new run whose publication
/// replaces the earlier one), withdrawals, and the final publication with its counts. Publishing goes through the one
/// publication use case (<see cref="PublicationService"/>); the state and time rules are the store's
/// (<see cref="IReviewStore"/>), who may do what is decided here.
/// </summary>
public sealed class ReviewService
{
    private readonly IRunStore _runs;
    private readonly IReviewStore _reviews;
    private readonly ILedgerStore? _files;
    private readonly PublicationService _publications;
    private readonly TimeProvider _clock;

    /// <summary>Creates the service.</summary>
    /// <param name="runs">The runs and their results (a unit asks about its own results).</param>
    /// <param name="reviews">The notices and review requests.</param>
    /// <param name="files">Where evidence files are kept by their SHA-256 (the ledger's file store), or null (no files taken).</param>
    /// <param name="publications">The one publication use case.</param>
    /// <param name="clock">Where times come from.</param>
    public ReviewService(IRunStore runs, IReviewStore reviews, ILedgerStore? files, PublicationService publications, TimeProvider clock)
    {
        _runs = runs ?? throw new ArgumentNullException(nameof(runs));
        _reviews = reviews ?? throw new ArgumentNullException(nameof(reviews));
        _files = files;
        _publications = publications ?? throw new ArgumentNullException(nameof(publications));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    }

    /// <summary>
    /// The office publishes a run: provisionally with <paramref name="noticeDays"/> days of notice, or finally (null). With
    /// <paramref name="final"/> and the run being its period's current provisional publication, that publication is made
    /// final instead (<see cref="MakeFinalAsync"/>). Answers the period's current publication afterwards.
    /// </summary>
    public async Task<PublicationNotice> PublishAsync(string runId, ReviewActor actor, int? noticeDays, bool final = false,
        CancellationToken cancellationToken = default)
    {
        RequireOffice(actor, "发布");
        if (final && noticeDays is not null) throw new StoreException(StoreError.Invalid, "--final 与 --notice-days 不能同时使用");
        var run = await _runs.GetRunAsync(runId, cancellationToken) ?? throw new StoreException(StoreError.NotFound, $"没有运行 {runId}");
        if (final && await _reviews.GetNoticeAsync(run.Period, run.Level, cancellationToken) is { State: NoticeState.Provisional } current
                  && current.RunId == runId)
            return await _reviews.MakeFinalAsync(run.Period, run.Level, current.Revision, actor.Account, _clock.GetUtcNow(), cancellationToken);
        var publication = await _publications.PublishAsync(runId, actor.Account, noticeDays, cancellationToken);
        return await _reviews.GetNoticeAsync(publication.Period, publication.Level, cancellationToken)
            ?? throw new StoreException(StoreError.NotFound, $"{publication.Period} 的发布不见了");
    }

    /// <summary>The office makes the period's current provisional publication final (after its deadline, every request answered, no correction pending).</summary>
    public async Task<PublicationNotice> MakeFinalAsync(Period period, UnitLevel level, ReviewActor actor, CancellationToken cancellationToken = default)
    {
        RequireOffice(actor, "转为正式发布");
        var current = await RequireNoticeAsync(period, level, cancellationToken);
        return await _reviews.MakeFinalAsync(period, level, current.Revision, actor.Account, _clock.GetUtcNow(), cancellationToken);
    }

    /// <summary>The office withdraws a provisional publication (the run must be its period's current one); its open requests close as withdrawn.</summary>
    public async Task<PublicationNotice> WithdrawPublicationAsync(string runId, ReviewActor actor, string reason, CancellationToken cancellationToken = default)
    {
        RequireOffice(actor, "撤回公示");
        var why = RequireText(reason, "撤回公示须说明原因（--reason）");
        var run = await _runs.GetRunAsync(runId, cancellationToken) ?? throw new StoreException(StoreError.NotFound, $"没有运行 {runId}");
        var current = await RequireNoticeAsync(run.Period, run.Level, cancellationToken);
        if (current.RunId != runId)
            throw new StoreException(StoreError.Conflict, $"{run.Period} {run.Level.ToText()} 当前发布的是 {current.RunId}，不是 {runId}");
        return await _reviews.WithdrawPublicationAsync(run.Period, run.Level, current.Revision, actor.Account, why, _clock.GetUtcNow(), cancellationToken);
    }

    /// <summary>
    /// A unit files a review request on its own results in the run published provisionally: the indicator, adjustment or
    /// veto (it must be in the unit's results), the reason, and evidence files (the ledger's rules: PDF, PNG, JPEG, XLSX or
    /// DOCX by content, at most 10 of at most 20 MiB; none is allowed). Refused after the deadline (the store's check).
    /// </summary>
    public async Task<ReviewRequest> FileAsync(string runId, ReviewActor actor, ReviewTargetKind kind, string target, string reason,
        IReadOnlyList<EvidenceUpload> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(files);
        if (actor.Role != AccountRole.Unit || actor.Unit is not { Length: > 0 } unit)
            throw new ReviewRefusedException("复核申请由单位就本单位的结果提出（须以单位账户操作）");
        var why = RequireText(reason, "复核申请须说明理由（--reason）");
        var id = RequireText(target, "复核申请须指明指标、加减分项或否决项（--target）");
        var run = await _runs.GetRunAsync(runId, cancellationToken) ?? throw new StoreException(StoreError.NotFound, $"没有运行 {runId}");
        var current = await RequireNoticeAsync(run.Period, run.Level, cancellationToken);
        if (current.RunId != runId)
            throw new StoreException(StoreError.Conflict, $"{run.Period} {run.Level.ToText()} 当前发布的是 {current.RunId}，不是 {runId}：请就当前发布的结果申请复核");
        if (!await HasTargetAsync(run, unit, kind, id, cancellationToken))
            throw new StoreException(StoreError.Invalid, $"单位 {unit} 在运行 {runId} 的结果中没有{kind.ToChinese()} '{id}'");
        var described = files.Count == 0 ? [] : EvidenceTypes.Check(files);
        if (described.Count > 0 && _files is null) throw new StoreException(StoreError.Conflict, "这个存储不保存佐证材料文件");
        for (var i = 0; i < files.Count; i++) await _files!.PutFileAsync(described[i].Sha256, files[i].Content, cancellationToken);
        var draft = new ReviewDraft(run.Period, run.Level, current.Revision, unit, kind, id, why,
            [.. described.Select(f => new ReviewFile(f.Name, f.Type, f.Size, f.Sha256))], actor.Account);
        return await _reviews.FileReviewAsync(draft, _clock.GetUtcNow(), cancellationToken);
    }

    /// <summary>The office answers a request 待答复: 维持 (<paramref name="correct"/> false) or 更正 (then a new run of the period is due).</summary>
    public async Task<ReviewRequest> AnswerAsync(string id, ReviewActor actor, bool correct, string reason, CancellationToken cancellationToken = default)
    {
        RequireOffice(actor, "答复复核申请");
        var why = RequireText(reason, "答复须说明理由（--reason）");
        var request = await _reviews.GetReviewAsync(id, cancellationToken) ?? throw new StoreException(StoreError.NotFound, $"没有复核申请 {id}");
        return await _reviews.AnswerReviewAsync(id, request.Version, correct, why, actor.Account, _clock.GetUtcNow(), cancellationToken);
    }

    /// <summary>A unit withdraws its own request 待答复.</summary>
    public async Task<ReviewRequest> WithdrawAsync(string id, ReviewActor actor, string? reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var request = await _reviews.GetReviewAsync(id, cancellationToken) ?? throw new StoreException(StoreError.NotFound, $"没有复核申请 {id}");
        if (actor.Role != AccountRole.Unit) throw new ReviewRefusedException("复核申请只能由提出它的单位撤回");
        // Another unit's request is answered as one that does not exist, so a unit cannot probe for others' requests.
        if (actor.Unit != request.Unit) throw new StoreException(StoreError.NotFound, $"没有复核申请 {id}");
        var why = string.IsNullOrWhiteSpace(reason) ? "单位撤回" : reason.Trim();
        return await _reviews.WithdrawReviewAsync(id, request.Version, why, actor.Account, _clock.GetUtcNow(), cancellationToken);
    }

    /// <summary>One request: the office any, a unit its own (another unit's is not found, like one that does not exist).</summary>
    public async Task<ReviewRequest> GetAsync(string id, ReviewActor actor, CancellationToken cancellationToken = default)
    {
        var request = await _reviews.GetReviewAsync(id, cancellationToken) ?? throw new StoreException(StoreError.NotFound, $"没有复核申请 {id}");
        if (!actor.IsOffice && actor.Role != AccountRole.Unit) throw new ReviewRefusedException("只有考核办和单位可以查看复核申请");
        // Another unit's request is answered as one that does not exist, so a unit cannot probe for others' requests.
        if (!actor.IsOffice && actor.Unit != request.Unit) throw new StoreException(StoreError.NotFound, $"没有复核申请 {id}");
        return request;
    }

    /// <summary>The requests of a period and level (all when null): the office sees every one, a unit its own.</summary>
    public async Task<IReadOnlyList<ReviewRequest>> ListAsync(ReviewActor actor, Period? period = null, UnitLevel? level = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsOffice && actor.Role != AccountRole.Unit) throw new ReviewRefusedException("只有考核办和单位可以查看复核申请");
        var all = await _reviews.ListReviewsAsync(period, level, cancellationToken);
        return actor.IsOffice ? all : [.. all.Where(r => r.Unit == actor.Unit)];
    }

    /// <summary>An evidence file of a request (the office, or the request's unit).</summary>
    public async Task<(ReviewFile File, byte[] Content)> OpenFileAsync(string id, string sha256, ReviewActor actor, CancellationToken cancellationToken = default)
    {
        var request = await GetAsync(id, actor, cancellationToken);
        var file = request.Files.FirstOrDefault(f => string.Equals(f.Sha256, sha256, StringComparison.OrdinalIgnoreCase))
            ?? throw new StoreException(StoreError.NotFound, $"复核申请 {id} 没有文件 {sha256}");
        var content = _files is null ? null : await _files.GetFileAsync(file.Sha256, cancellationToken);
        return (file, content ?? throw new StoreException(StoreError.NotFound, $"复核申请 {id} 的文件 {file.Name} 的内容不见了"));
    }

    /// <summary>The current publication of a period and level with its notice, or null.</summary>
    public Task<PublicationNotice?> GetNoticeAsync(Period period, UnitLevel level, CancellationToken cancellationToken = default) =>
        _reviews.GetNoticeAsync(period, level, cancellationToken);

    /// <summary>Every publication of a period and level, by revision.</summary>
    public Task<IReadOnlyList<PublicationNotice>> GetNoticesAsync(Period period, UnitLevel level, CancellationToken cancellationToken = default) =>
        _reviews.GetNoticesAsync(period, level, cancellationToken);

    /// <summary>N and M of a period and level: every request filed on its publications, and those corrected.</summary>
    public async Task<ReviewCounts> CountAsync(Period period, UnitLevel level, CancellationToken cancellationToken = default)
    {
        var all = await _reviews.ListReviewsAsync(period, level, cancellationToken);
        return new ReviewCounts(all.Count, all.Count(r => r.State == ReviewState.Corrected));
    }

    /// <summary>
    /// N and M of a period and level as they stood at publication <paramref name="throughRevision"/>: the requests filed on
    /// its publications up to that revision, and those of them corrected (what a final bulletin states; a later notice of the
    /// period files its requests on later revisions).
    /// </summary>
    public async Task<ReviewCounts> CountAsync(Period period, UnitLevel level, int throughRevision, CancellationToken cancellationToken = default)
    {
        var filed = (await _reviews.ListReviewsAsync(period, level, cancellationToken)).Where(r => r.FiledRevision <= throughRevision).ToList();
        return new ReviewCounts(filed.Count, filed.Count(r => r.State == ReviewState.Corrected));
    }

    /// <summary>
    /// Whether the unit's results in the run have the target: a quarter's or year's unit result its indicator, adjustment or
    /// veto; a month's result (a month run has no scoring results) an indicator of the monitor with the light the unit got.
    /// </summary>
    /// <exception cref="ReviewRefusedException">The run has no result of the unit (another unit's or another level's).</exception>
    private async Task<bool> HasTargetAsync(EvaluationRun run, string unit, ReviewTargetKind kind, string id, CancellationToken cancellationToken)
    {
        if (run.Period.IsMonth)
        {
            var month = await _runs.GetMonthResultsAsync(run.Id, cancellationToken);
            var mine = month?.Units.FirstOrDefault(u => u.Code == unit)
                ?? throw new ReviewRefusedException($"运行 {run.Id} 没有单位 {unit} 的结果：单位只能就本单位的结果申请复核");
            return kind == ReviewTargetKind.Indicator && mine.Indicators.Any(i => i.Id == id);
        }
        var result = await _runs.GetUnitResultAsync(run.Id, unit, cancellationToken)
            ?? throw new ReviewRefusedException($"运行 {run.Id} 没有单位 {unit} 的结果：单位只能就本单位的结果申请复核");
        return kind switch
        {
            ReviewTargetKind.Indicator => result.Indicators.Any(i => i.Id == id),
            ReviewTargetKind.Adjustment => result.Adjustments.Any(a => a.Id == id),
            _ => result.Vetoes.Contains(id),
        };
    }

    private async Task<PublicationNotice> RequireNoticeAsync(Period period, UnitLevel level, CancellationToken cancellationToken) =>
        await _reviews.GetNoticeAsync(period, level, cancellationToken)
        ?? throw new StoreException(StoreError.NotFound, $"{period} {level.ToText()} 还没有发布");

    private static void RequireOffice(ReviewActor actor, string what)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsOffice) throw new ReviewRefusedException($"只有考核办可以{what}");
    }

    private static string RequireText(string? text, string message) =>
        string.IsNullOrWhiteSpace(text) ? throw new StoreException(StoreError.Invalid, message) : text.Trim();
}
