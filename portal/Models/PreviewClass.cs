namespace BaiQianWan.Assess.Portal.Models;

/// <summary>A class in a preview.</summary>
/// <param name="Class">Class.</param>
/// <param name="Lines">Units by draft rank.</param>
public sealed record PreviewClass(string Class, IReadOnlyList<PreviewLine> Lines);
