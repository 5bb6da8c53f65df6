namespace BaiQianWan.Assess.Store;

/// <summary>A publication pointer with the run it points at (<see cref="IPublicationStore.ListPublicationsAsync"/>).</summary>
/// <param name="Publication">The pointer of a period and level.</param>
/// <param name="Run">The published run.</param>
public sealed record PublishedRun(Publication Publication, EvaluationRun Run)
{
    /// <summary>The order listings use: newest publication first, then the newest period, then by level.</summary>
    internal static int NewestFirst(PublishedRun a, PublishedRun b)
    {
        var byTime = b.Publication.At.CompareTo(a.Publication.At);
        if (byTime != 0) return byTime;
        var byPeriod = b.Publication.Period.CompareTo(a.Publication.Period);
        return byPeriod != 0 ? byPeriod : a.Publication.Level.CompareTo(b.Publication.Level);
    }
}
