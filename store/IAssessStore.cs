namespace BaiQianWan.Assess.Store;

/// <summary>
/// Everything an assessment office keeps: units, reported figures, ruleset versions, evaluation runs with
/// their results and rendered documents, publication pointers and the audit log. One contract, two
/// implementations (SQLite on one machine, Azure storage when hosted); one contract test suite runs on both.
/// </summary>
/// <remarks>
/// <para>The contract is split by aggregate, and this interface is their composition, so that a host opens one object
/// while each use case depends on the parts it uses: <see cref="IUnitDataStore"/> (units, observations, import batches),
/// <see cref="IRulesetStore"/> (ruleset versions and which is active), <see cref="IRunStore"/> (runs, results, documents,
/// archives), <see cref="IPublicationStore"/> (publication pointers), <see cref="IAuditStore"/> (the audit log) and
/// <see cref="IStoreMaintenance"/> (migrations, the start-up check, the sweep). Accounts are a store of their own
/// (<see cref="IAccountStore"/>) beside it.</para>
/// <para>Every mutating call is all-or-nothing: it either completes or leaves the store exactly as it was, and
/// it appends its audit entry as part of the same change. Callers validate input (rulesets, data files)
/// before handing it over; the store enforces identity and state rules (duplicate keys, unknown ids,
/// publishing a run that has not succeeded) and reports them as <see cref="StoreException"/>.
/// Times are supplied by the caller (the store never reads the clock), so tests and replays are exact.</para>
/// </remarks>
public interface IAssessStore : IUnitDataStore, IRulesetStore, IRunStore, IPublicationStore, IAuditStore, IStoreMaintenance, IAsyncDisposable
{
}
