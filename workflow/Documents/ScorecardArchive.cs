using System.IO.Compression;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow;

/// <summary>
/// The ZIP of a run's scorecards (<c>CODE.pdf</c> per unit): entries ordered by unit code (ordinal), every
/// entry dated <see cref="EntryTime"/>, so the same documents always give the same bytes. Written one document
/// at a time to a stream, never the whole set in memory.
/// </summary>
public static class ScorecardArchive
{
    /// <summary>The fixed time of every entry.</summary>
    public static readonly DateTimeOffset EntryTime = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The entries' compression, chosen by measurement on the generated province's 1,607 town scorecards (160.0 MB
    /// of PDFs, their page streams already compressed; .NET 10, docs/benchmarks.md): stored 160.1 MB in 0.1 s,
    /// fastest 157.2 MB in 1.5 s, optimal 144.9 MB in 3.3 s, smallest 141.7 MB in 4.4 s. The archive is built
    /// once per run and downloaded many times, so a few seconds at publication are worth the 10 %; optimal also
    /// keeps the bytes (and so the ETag) of the ZIP the endpoint used to build per request.
    /// </summary>
    public const CompressionLevel Compression = CompressionLevel.Optimal;

    /// <summary>Writes the archive of <paramref name="runId"/>'s scorecards to <paramref name="output"/> (left open).</summary>
    /// <returns>How many scorecards it holds.</returns>
    public static async Task<int> WriteAsync(IRunStore store, string runId, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(output);
        var scorecards = (await store.ListDocumentsAsync(runId, cancellationToken))
            .Where(d => d.Kind == DocumentKind.Scorecard)
            .OrderBy(d => d.Key, StringComparer.Ordinal)
            .ToList();
        await using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var info in scorecards)
            {
                var document = await store.GetDocumentAsync(runId, DocumentKind.Scorecard, info.Key, cancellationToken)
                    ?? throw new StoreException(StoreError.NotFound, $"运行 {runId} 的记分卡 {info.Key} 不见了");
                var entry = zip.CreateEntry($"{info.Key}.pdf", Compression);
                entry.LastWriteTime = EntryTime;
                await using var stream = await entry.OpenAsync(cancellationToken);
                await stream.WriteAsync(document.Content, cancellationToken);
            }
        }
        return scorecards.Count;
    }
}
