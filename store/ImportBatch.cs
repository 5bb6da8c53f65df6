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
public sealed record ImportBatch(string Id, ImportKind Kind, int? Year, string FileName, string Sha256, int RowCount, string Actor, DateTimeOffset At);

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
