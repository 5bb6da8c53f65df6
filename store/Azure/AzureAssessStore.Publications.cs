using Azure.Data.Tables;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store.Internal;

namespace BaiQianWan.Assess.Store.Azure;

// Publications: one pointer per period and level at its published run, with a revision.
public sealed partial class AzureAssessStore
{
    /// <inheritdoc />
    /// <remarks>A final publication of <see cref="IReviewStore.PublishAsync"/> (with its notice and the review rules).</remarks>
    public Task<Publication> PublishAsync(string runId, string actor, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        PublishAsync(runId, actor, at, null, null, cancellationToken);

    /// <inheritdoc />
    /// <remarks>One query of the pointers, then each pointer's run by a point read (its row key follows from its id).</remarks>
    public async Task<IReadOnlyList<PublishedRun>> ListPublicationsAsync(CancellationToken cancellationToken = default)
    {
        const string prefix = "pub|";
        var rows = await QueryControlAsync(prefix, cancellationToken);
        var list = await Task.WhenAll(rows.Select(async row =>
        {
            // pub|PERIOD|LEVEL
            var parts = row.RowKey[prefix.Length..].Split('|');
            var publication = new Publication(Period.Parse(parts[0]), StoreText.Level(parts[1]), row.GetString("RunId"), row.GetString("Actor"),
                StoreText.Time(row.GetString("At")), row.GetInt32("Revision")!.Value);
            var run = await GetRunAsync(publication.RunId, cancellationToken)
                ?? throw new StoreException(StoreError.NotFound, $"{publication.Period} {parts[1]} 发布的运行 {publication.RunId} 不见了");
            return new PublishedRun(publication, run);
        }));
        Array.Sort(list, PublishedRun.NewestFirst);
        return list;
    }

    /// <inheritdoc />
    public async Task<Publication?> GetPublicationAsync(Period period, UnitLevel level, CancellationToken cancellationToken = default)
    {
        var row = await RetrieveAsync(AzureNames.Publication(period.ToString(), level.ToText()), cancellationToken);
        return row is null ? null : new Publication(period, level, row.GetString("RunId"), row.GetString("Actor"),
            StoreText.Time(row.GetString("At")), row.GetInt32("Revision")!.Value);
    }
}
