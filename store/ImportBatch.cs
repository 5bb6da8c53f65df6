namespace BaiQianWan.Assess.Store;

/// <summary>One import as kept in the store, with its provenance.</summary>
/// <param name="Id">Batch id assigned by the store.</param>
/// <param name="Kind">Units or observations.</param>
/// <param name="Year">For units, the year they are classified for; null for observations.</param>
/// <param name="FileName">Original file name.</param>
/// <param name="Sha256">SHA-256 of the file's bytes, lowercase hex.</param>
/// <param name="RowCount">Number of data rows.</param>
/// <param name="Actor">Who imported it.</param>
/// <param name="At">When.</param>
/// <param name="Periods">
/// For observations, the rows of each period the file held, by period (<c>2025Q2=9,2025Q3=8</c>, see <see cref="PeriodRows"/>);
/// null for units and for batches stored before the periods were kept.
/// </param>
public sealed record ImportBatch(string Id, ImportKind Kind, int? Year, string FileName, string Sha256, int RowCount, string Actor, DateTimeOffset At,
    string? Periods = null)
{
    /// <summary>The stored text of the rows of each period of <paramref name="observations"/>, by period.</summary>
    public static string PeriodsOf(IEnumerable<BaiQianWan.Assess.Rules.Data.Observation> observations) =>
        string.Join(",", observations.GroupBy(o => o.Period).OrderBy(g => g.Key)
            .Select(g => $"{g.Key}={g.Count().ToString(System.Globalization.CultureInfo.InvariantCulture)}"));

    /// <summary>The rows of each period (<see cref="Periods"/>), by period; empty when not known.</summary>
    public IReadOnlyList<(BaiQianWan.Assess.Rules.Data.Period Period, int Rows)> PeriodRows() =>
        Periods is not { Length: > 0 } text ? [] : [.. text.Split(',').Select(part => part.Split('='))
            .Select(kv => (BaiQianWan.Assess.Rules.Data.Period.Parse(kv[0]), int.Parse(kv[1], System.Globalization.CultureInfo.InvariantCulture)))];
}

/// <summary>What an import batch holds.</summary>
public enum ImportKind
{
    /// <summary>Units and their classes for a year.</summary>
    Units,
    /// <summary>Reported figures.</summary>
    Observations,
}

/// <summary>The result of an import call.</summary>
/// <param name="Batch">The batch written, or the earlier identical one.</param>
/// <param name="AlreadyImported">True when the same file had been imported before and nothing changed.</param>
public sealed record ImportOutcome(ImportBatch Batch, bool AlreadyImported);
