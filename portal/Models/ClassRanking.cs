namespace BaiQianWan.Assess.Portal.Models;

/// <summary>One class's ranking.</summary>
/// <param name="Class">Class.</param>
/// <param name="Rows">Rows by rank.</param>
/// <param name="BulletinUrl">The class's bulletin page in the run reviewed, or null.</param>
/// <param name="BulletinPdfUrl">That bulletin's PDF, or null.</param>
public sealed record ClassRanking(string Class, IReadOnlyList<RankingRow> Rows, string? BulletinUrl = null, string? BulletinPdfUrl = null);
