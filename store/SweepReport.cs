namespace BaiQianWan.Assess.Store;

/// <summary>What one sweep of superseded data did (<see cref="IStoreMaintenance.SweepAsync"/>).</summary>
/// <param name="Kept">Generations still referenced (by a head, a run), left alone.</param>
/// <param name="Marked">Unreferenced generations seen for the first time: marked now, deleted by a sweep once the grace period has passed.</param>
/// <param name="Waiting">Unreferenced generations marked earlier whose grace period has not passed yet.</param>
/// <param name="Deleted">Generations deleted by this sweep.</param>
public sealed record SweepReport(int Kept, int Marked, int Waiting, int Deleted)
{
    /// <summary>The grace period hosts use: longer than any import or read of one generation takes.</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromHours(1);
}
