namespace BaiQianWan.Assess.Portal.Models;

/// <summary>One unit under a draft and under the active version.</summary>
/// <param name="Code">Unit code.</param>
/// <param name="Name">Unit name.</param>
/// <param name="Total">Total under the draft.</param>
/// <param name="Rank">Rank under the draft.</param>
/// <param name="Grade">Grade under the draft.</param>
/// <param name="ActiveTotal">Total under the active version.</param>
/// <param name="ActiveRank">Rank under the active version.</param>
/// <param name="ActiveGrade">Grade under the active version.</param>
public sealed record PreviewLine(string Code, string Name, decimal Total, int Rank, string Grade, decimal? ActiveTotal, int? ActiveRank, string? ActiveGrade);
