using Azure.Data.Tables;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store.Internal;

namespace BaiQianWan.Assess.Store.Azure;

// Publications: one pointer per period and level at its published run, with a revision.
public sealed partial class AzureAssessStore
{
    /// <inheritdoc />
    public Task<Publication> PublishAsync(string runId, string actor, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        MutateAsync(async change =>
        {
            var (_, run) = await RequireRunAsync(runId, cancellationToken);
            if (run.Status != RunStatus.Succeeded)
                throw new StoreException(StoreError.Conflict, $"运行 {runId} 的状态是 {StoreText.Status(run.Status)}，只有成功的运行可以发布");
            var key = AzureNames.Publication(run.Period.ToString(), run.Level.ToText());
            var current = await RetrieveAsync(key, cancellationToken);
            var revision = (current?.GetInt32("Revision") ?? 0) + 1;
            // Times follow revision order: a racing publisher that read the clock earlier is stamped with the current one's time.
            var stamped = current is not null && StoreText.Time(current.GetString("At")) is var previous && previous > at ? previous : at;
            var next = new TableEntity(AzureNames.Control, key)
            {
                ["RunId"] = runId,
                ["Actor"] = actor,
                ["At"] = StoreText.Time(stamped),
                ["Revision"] = revision,
            };
            change.Put(next, current);
            change.Audit(stamped, actor, current is null ? "publish" : "republish", runId,
                $"{run.Period} {run.Level.ToText()} revision={revision}" + (current is null ? "" : $" replaces={current.GetString("RunId")}"));
            return change.Done(new Publication(run.Period, run.Level, runId, actor, stamped, revision));
        }, cancellationToken);

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
