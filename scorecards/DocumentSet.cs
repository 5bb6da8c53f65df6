using System.Collections.Immutable;
using System.IO.Compression;
using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Scorecards;

/// <summary>A rendered document with its path in a document set (<c>scorecards/&lt;code&gt;.pdf</c>, <c>bulletins/&lt;class&gt;.pdf</c>).</summary>
/// <param name="Path">Relative path, '/'-separated.</param>
/// <param name="Document">The document.</param>
public sealed record NamedDocument(string Path, RenderedDocument Document);

/// <summary>Every scorecard and bulletin of an evaluation, rendered on several cores; and the set as one zip.</summary>
public static class DocumentSet
{
    /// <summary>
    /// Renders one scorecard per scored unit and one bulletin per class with units, in the result's order
    /// (units by class and rank, then classes in ruleset order). The output does not depend on the parallelism.
    /// </summary>
    /// <param name="result">The evaluation.</param>
    /// <param name="stamp">The run.</param>
    /// <param name="previous">The previous period's result, for changes in rank; may be null.</param>
    /// <param name="parallelism">How many documents to draw at once (e.g. <see cref="Environment.ProcessorCount"/>).</param>
    public static ImmutableArray<NamedDocument> RenderAll(EvaluationResult result, DocumentStamp stamp, EvaluationResult? previous = null, int parallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(result);
        var jobs = result.Units.Select(u => (Path: $"scorecards/{FileName(u.Code)}.pdf", Unit: (string?)u.Code, Class: (string?)null))
            .Concat(BulletinClasses(result).Select(c => (Path: $"bulletins/{FileName(c)}.pdf", Unit: (string?)null, Class: (string?)c)))
            .ToArray();
        var documents = Draw(jobs, job => job.Unit is { } code
            ? ScorecardRenderer.RenderScorecard(result, code, stamp, previous)
            : ScorecardRenderer.RenderBulletin(result, job.Class!, stamp, previous), parallelism);
        return [.. jobs.Select((job, i) => new NamedDocument(job.Path, documents[i]))];
    }

    /// <summary>The scorecards of some units of an evaluation (a render batch), in the order given, drawn <paramref name="parallelism"/> at a time.</summary>
    /// <param name="result">The evaluation.</param>
    /// <param name="unitCodes">Units scored in <paramref name="result"/>.</param>
    /// <param name="stamp">The run.</param>
    /// <param name="previous">The previous period's result, for changes in rank; may be null.</param>
    /// <param name="parallelism">How many documents to draw at once.</param>
    /// <param name="ledger">The task ledger of the result's year, or null (see <see cref="ScorecardRenderer.RenderScorecard(EvaluationResult, string, DocumentStamp, EvaluationResult?, LedgerBook?)"/>); replayed once for the batch.</param>
    public static RenderedDocument[] RenderScorecards(EvaluationResult result, IReadOnlyList<string> unitCodes, DocumentStamp stamp, EvaluationResult? previous = null, int parallelism = 1,
        LedgerBook? ledger = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(unitCodes);
        var snapshot = ScorecardRenderer.Snapshot(ledger, result);
        return Draw(unitCodes, code => ScorecardRenderer.Render(result, code, stamp, previous, snapshot), parallelism);
    }

    /// <summary>One bulletin per class of <see cref="BulletinClasses"/>, in that order.</summary>
    /// <param name="result">The evaluation.</param>
    /// <param name="stamp">The run.</param>
    /// <param name="previous">The previous period's result, for changes in rank; may be null.</param>
    /// <param name="parallelism">How many documents to draw at once.</param>
    public static RenderedDocument[] RenderBulletins(EvaluationResult result, DocumentStamp stamp, EvaluationResult? previous = null, int parallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Draw(BulletinClasses(result), name => ScorecardRenderer.RenderBulletin(result, name, stamp, previous), parallelism);
    }

    /// <summary>The classes that get a bulletin: those with scored units, in ruleset order (then any others, as they first appear).</summary>
    public static string[] BulletinClasses(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return [.. result.Ruleset.Classes.Where(c => result.Units.Any(u => u.Class == c))
            .Concat(result.Units.Select(u => u.Class).Distinct().Where(c => !result.Ruleset.Classes.Contains(c)))];
    }

    /// <summary>Draws each job's document; the output is in job order whatever the parallelism.</summary>
    internal static RenderedDocument[] Draw<T>(IReadOnlyList<T> jobs, Func<T, RenderedDocument> draw, int parallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var documents = new RenderedDocument[jobs.Count];
        Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, i => documents[i] = draw(jobs[i]));
        return documents;
    }

    /// <summary>The documents as a zip whose bytes depend only on the documents and the stamp (fixed entry times, given order).</summary>
    public static byte[] Zip(IEnumerable<NamedDocument> documents, DocumentStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(stamp);
        // Zip times have no zone and start in 1980; a run without a time gets that first day.
        var time = stamp.At is { } at ? at.ToOffset(TimeSpan.FromHours(8)) : new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var d in documents)
            {
                var entry = zip.CreateEntry(d.Path, CompressionLevel.Optimal);
                entry.LastWriteTime = time;
                using var s = entry.Open();
                s.Write(d.Document.Pdf);
            }
        }
        return memory.ToArray();
    }

    /// <summary>A code or class name as a file name: characters no file system accepts become '_'.</summary>
    public static string FileName(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            if (chars[i] is '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|' || char.IsControl(chars[i])) chars[i] = '_';
        var s = new string(chars).Trim();
        return s is "" or "." or ".." ? "_" : s;
    }
}
