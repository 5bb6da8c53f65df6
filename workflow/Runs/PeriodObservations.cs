using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow.Runs;

/// <summary>
/// The one place a period's observations are assembled for an evaluation (a run, a preview) and for the observations
/// template: the stored (uploaded) rows, joined by the task ledger's derived rows (<see cref="LedgerFigures"/>) as the
/// ledger stood at the period's end. Units without tasks in the period's year get no derived rows, so a store without
/// a ledger (or without tasks) reads exactly what it stored. The joined rows are the run's data, so they are in its data hash.
/// </summary>
public sealed class PeriodObservations
{
    private readonly IUnitDataStore _data;
    private readonly ILedgerStore? _ledger;

    /// <summary>Creates the reader.</summary>
    /// <param name="data">The stored observations.</param>
    /// <param name="ledger">The task ledger whose derived rows join, or null (no ledger: stored rows only).</param>
    public PeriodObservations(IUnitDataStore data, ILedgerStore? ledger)
    {
        _data = data ?? throw new ArgumentNullException(nameof(data));
        _ledger = ledger;
    }

    /// <summary>The period's stored observations with the ledger's derived rows of that period.</summary>
    public async Task<IReadOnlyList<Observation>> ReadAsync(Period period, CancellationToken cancellationToken = default)
    {
        var stored = await _data.GetObservationsAsync(period, cancellationToken);
        if (_ledger is null) return stored;
        var replay = await _ledger.GetReplayAsync(period.Year, cancellationToken);
        var derived = LedgerFigures.For(replay.Tasks, replay.Changes, period);
        if (derived.Length == 0) return stored;
        // Uploads of derived ids are refused; a row stored before that rule is superseded by the ledger's own.
        return [.. stored.Where(o => !LedgerFigures.IsDerived(o.Indicator)), .. derived];
    }
}
