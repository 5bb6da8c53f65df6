using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Store;

/// <summary>
/// Notice and review (公示、复核): each publication of a period and level with its notice, and the units' review requests
/// with their answers. Kept for ever (nothing is deleted); every change appends its audit entry in the same change; times
/// come from the caller; refusals are <see cref="StoreException"/> (<see cref="StoreError.Conflict"/> for a change the
/// state does not allow, <see cref="StoreError.Concurrency"/> for one made from a version another change replaced first:
/// of two concurrent changes one wins).
/// </summary>
/// <remarks>
/// The store enforces the flow's state and time rules inside the change (so a check and its write cannot be separated):
/// filing only on the current provisional publication before its deadline; making final only from the deadline on,
/// with no request 待答复 or 更正中; a final publication (made final after its notice) is followed only by a provisional
/// one. Who may do what (roles, units, targets) is the workflow's.
/// </remarks>
public interface IReviewStore
{
    /// <summary>
    /// Publishes a succeeded run (the pointer switch of <see cref="IPublicationStore.PublishAsync"/>, which is this with no
    /// notice), provisionally with a notice until <paramref name="deadline"/> when it is given, finally otherwise; in one change:
    /// the earlier provisional publication is replaced, the requests 待答复 move to this one, the requests 更正中 are
    /// corrected, naming this run. Refused (Conflict): a final publication while the current one is provisional before its
    /// deadline or has a request 待答复, and a final publication over one made final after its notice.
    /// </summary>
    Task<Publication> PublishAsync(string runId, string actor, DateTimeOffset at, int? noticeDays, DateTimeOffset? deadline,
        CancellationToken cancellationToken = default);

    /// <summary>The current publication's notice of a period and level, or null when nothing is published.</summary>
    Task<PublicationNotice?> GetNoticeAsync(Period period, UnitLevel level, CancellationToken cancellationToken = default);

    /// <summary>Every publication of a period and level, by revision.</summary>
    Task<IReadOnlyList<PublicationNotice>> GetNoticesAsync(Period period, UnitLevel level, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the current provisional publication (revision <paramref name="revision"/>) final: from its deadline on, with
    /// no request 待答复 or 更正中. The publication pointer does not move.
    /// </summary>
    Task<PublicationNotice> MakeFinalAsync(Period period, UnitLevel level, int revision, string actor, DateTimeOffset at,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Withdraws the current provisional publication (revision <paramref name="revision"/>): its requests 待答复 and 更正中 close
    /// as withdrawn; the pointer goes back to the period's latest final publication (a new revision) or, with none, the period
    /// is no longer published (its publications stay in the history).
    /// </summary>
    Task<PublicationNotice> WithdrawPublicationAsync(Period period, UnitLevel level, int revision, string actor, string reason,
        DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Files a review request on the current provisional publication (revision <see cref="ReviewDraft.Revision"/>) before its deadline.</summary>
    Task<ReviewRequest> FileReviewAsync(ReviewDraft draft, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Answers a request 待答复 (version <paramref name="version"/>): 维持 (<paramref name="correct"/> false) or 更正.</summary>
    Task<ReviewRequest> AnswerReviewAsync(string id, int version, bool correct, string reason, string actor, DateTimeOffset at,
        CancellationToken cancellationToken = default);

    /// <summary>Withdraws a request 待答复 (version <paramref name="version"/>).</summary>
    Task<ReviewRequest> WithdrawReviewAsync(string id, int version, string reason, string actor, DateTimeOffset at,
        CancellationToken cancellationToken = default);

    /// <summary>One request, or null.</summary>
    Task<ReviewRequest?> GetReviewAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The requests of a period and level (every one when both are null), by id.</summary>
    Task<IReadOnlyList<ReviewRequest>> ListReviewsAsync(Period? period = null, UnitLevel? level = null, CancellationToken cancellationToken = default);
}
