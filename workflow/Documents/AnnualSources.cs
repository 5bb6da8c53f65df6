using Publication = BaiQianWan.Assess.Rules.Annual.Publication;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow.Runs;

namespace BaiQianWan.Assess.Workflow;

/// <summary>
/// The publications a year's result read (annual contract §2), read back for its documents: for each of the result's
/// <see cref="EvaluationResult.Sources"/> with a run id, that run's stored results JSON (the bytes whose hash the result
/// recorded), so an annual scorecard shows the figures of exactly the publications the run read, whatever was published
/// since. Handed to <see cref="PdfDocumentRenderer"/> as its <c>sources</c>; the last result's publications are kept, as a
/// run's render batches each ask for them.
/// </summary>
/// <param name="runs">The runs and their stored results.</param>
public sealed class AnnualSources(IRunStore runs)
{
    private volatile Kept? _kept;

    private sealed record Kept(string Key, IReadOnlyList<Publication> Publications);

    /// <summary>The contents of the publications <paramref name="result"/> read; none for a result without sources.</summary>
    /// <exception cref="InvalidOperationException">A recorded run has no results any more, or its results no longer hash as recorded.</exception>
    public async Task<IReadOnlyList<Publication>> ReadAsync(EvaluationResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Sources.IsDefaultOrEmpty) return [];
        var key = string.Join("\n", result.Sources.Select(s => $"{s.Period} {s.Run} {s.Sha256}"));
        if (_kept is { } kept && kept.Key == key) return kept.Publications;
        var read = new List<Publication>();
        foreach (var s in result.Sources)
        {
            // A publication read from a file (no run id) has nothing in the store to read back: it is listed, not shown.
            if (s.Run is not { } run) continue;
            var bytes = await StoredResultsJson.ReadAsync(runs, run, cancellationToken)
                ?? throw new InvalidOperationException($"{result.Period} 的年度考核读取的 {s.Period} 公布结果（运行 {run}）已没有结果");
            var publication = Publication.Read(bytes, run);
            if (!string.Equals(publication.Sha256, s.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException(
                    $"{result.Period} 的年度考核读取的 {s.Period} 公布结果（运行 {run}）与记录的 SHA-256 不符（记录 {s.Sha256}，现为 {publication.Sha256}）");
            read.Add(publication);
        }
        _kept = new Kept(key, read);
        return read;
    }

    /// <summary>
    /// <see cref="ReadAsync"/> for the synchronous renderer (read once per batch at most). Hosts have no synchronization
    /// context, so waiting here blocks one worker thread and nothing else.
    /// </summary>
    public IReadOnlyList<Publication> Read(EvaluationResult result) => ReadAsync(result).GetAwaiter().GetResult();
}
