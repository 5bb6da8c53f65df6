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
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var classes = result.Ruleset.Classes.Where(c => result.Units.Any(u => u.Class == c))
            .Concat(result.Units.Select(u => u.Class).Distinct().Where(c => !result.Ruleset.Classes.Contains(c))).ToArray();
        var jobs = result.Units.Select(u => (Path: $"scorecards/{FileName(u.Code)}.pdf", Unit: (string?)u.Code, Class: (string?)null))
            .Concat(classes.Select(c => (Path: $"bulletins/{FileName(c)}.pdf", Unit: (string?)null, Class: (string?)c)))
            .ToArray();
        var documents = new NamedDocument[jobs.Length];
        Parallel.For(0, jobs.Length, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, i =>
        {
            var job = jobs[i];
            var doc = job.Unit is { } code
                ? ScorecardRenderer.RenderScorecard(result, code, stamp, previous)
                : ScorecardRenderer.RenderBulletin(result, job.Class!, stamp, previous);
            documents[i] = new NamedDocument(job.Path, doc);
        });
        return [.. documents];
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
