namespace BaiQianWan.Assess.Portal.Models;

/// <summary>Changed lines of a diff with the unchanged lines around them, as the diff page shows them.</summary>
/// <param name="HiddenBefore">Unchanged lines left out before this hunk (since the previous hunk or the start).</param>
/// <param name="Lines">The lines shown: changes and their context.</param>
/// <param name="HiddenAfter">Unchanged lines left out after this hunk to the end (the last hunk only; otherwise 0).</param>
public sealed record DiffHunk(int HiddenBefore, IReadOnlyList<DiffLine> Lines, int HiddenAfter);
