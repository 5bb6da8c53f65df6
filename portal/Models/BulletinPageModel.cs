namespace BaiQianWan.Assess.Portal.Models;

/// <summary>A class's published bulletin as a page (what the PDF bulletin prints).</summary>
/// <param name="Frame">Layout.</param>
/// <param name="Period">Period.</param>
/// <param name="LevelText">县 or 镇.</param>
/// <param name="Class">Class.</param>
/// <param name="Rows">The ranking.</param>
/// <param name="PdfUrl">The PDF bulletin.</param>
public sealed record BulletinPageModel(PageFrame Frame, BaiQianWan.Assess.Rules.Data.Period Period, string LevelText, string Class, IReadOnlyList<RankingRow> Rows, string PdfUrl)
{
    /// <summary>The 公示稿 mark while the publication is provisional (公示中), else null.</summary>
    public DraftMark? Draft { get; init; }
}
