using System.Collections.Immutable;

namespace BaiQianWan.Assess.Scorecards;

/// <summary>A rendered PDF.</summary>
/// <param name="Pdf">The PDF bytes (the same inputs give the same bytes).</param>
/// <param name="PageCount">Number of pages.</param>
/// <param name="Missing">Characters no embedded font has, each once per text it appeared in, in drawing order.</param>
public sealed record RenderedDocument(byte[] Pdf, int PageCount, ImmutableArray<MissingCharacter> Missing);
