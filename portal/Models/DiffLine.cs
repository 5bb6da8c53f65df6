namespace BaiQianWan.Assess.Portal.Models;

/// <summary>One line of a diff between versions.</summary>
/// <param name="Kind">Same, removed or added.</param>
/// <param name="OldNumber">Line in the older text.</param>
/// <param name="NewNumber">Line in the newer text.</param>
/// <param name="Text">The line.</param>
public sealed record DiffLine(DiffKind Kind, int? OldNumber, int? NewNumber, string Text);
