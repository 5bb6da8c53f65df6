namespace BaiQianWan.Assess.Portal.Models;

/// <summary>The office's review of a month run: the run, its documents and the filtered light matrix.</summary>
/// <param name="Frame">Layout.</param>
/// <param name="RunId">The run under review.</param>
/// <param name="Title">The monitor's name.</param>
/// <param name="Period">The month.</param>
/// <param name="LevelText">县 or 镇.</param>
/// <param name="Published">Whether the run is the published one of its month and level.</param>
/// <param name="Matrix">The light matrix, counts and red list.</param>
/// <param name="Action">This page's address (the filters' form).</param>
/// <param name="BulletinPdfUrl">The run's month bulletin, or null before it is rendered.</param>
/// <param name="UnitPdf">A unit's one-page PDF of the run, or null for no links.</param>
public sealed record MonthReviewModel(PageFrame Frame, string RunId, string Title, Rules.Data.Period Period, string LevelText, bool Published,
    MonthMatrix Matrix, string Action, string? BulletinPdfUrl, Func<string, string>? UnitPdf)
{
    /// <summary>The run's ledger month bulletin (<c>ledger-&lt;level&gt;</c>), or null when the year has no ledger.</summary>
    public string? LedgerBulletinPdfUrl { get; init; }

    /// <summary>Whether the office may publish the run now (succeeded, not yet the published one).</summary>
    public bool CanPublish { get; init; }

    /// <summary>The period's current publication when it is this run's (公示中 or 正式), else null.</summary>
    public BaiQianWan.Assess.Store.PublicationNotice? Notice { get; init; }

    /// <summary>The publish form's choices (公示 N 天 or 正式发布).</summary>
    public PublishChoice Publish { get; init; } = new(false, 5);
}
