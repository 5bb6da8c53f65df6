using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store.Internal;
using Microsoft.Data.Sqlite;

namespace BaiQianWan.Assess.Store.Sqlite;

// Publications: one pointer per period and level at its published run, with a revision.
public sealed partial class SqliteAssessStore
{
    /// <inheritdoc />
    /// <remarks>A final publication of <see cref="IReviewStore.PublishAsync"/> (with its notice and the review rules).</remarks>
    public Task<Publication> PublishAsync(string runId, string actor, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        PublishAsync(runId, actor, at, null, null, cancellationToken);

    /// <inheritdoc />
    public async Task<Publication?> GetPublicationAsync(Period period, UnitLevel level, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        return ReadPublication(c, null, period, level);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PublishedRun>> ListPublicationsAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        // One read transaction: the pointers and their runs from one snapshot.
        using var tx = c.BeginTransaction(deferred: true);
        var publications = new List<Publication>();
        using (var cmd = Command(c, tx, "SELECT period, level, run_id, actor, at, revision FROM publication;"))
        using (var r = cmd.ExecuteReader())
            while (r.Read())
                publications.Add(new Publication(Period.Parse(r.GetString(0)), StoreText.Level(r.GetString(1)), r.GetString(2), r.GetString(3),
                    StoreText.Time(r.GetString(4)), r.GetInt32(5)));
        var runs = ReadRuns(c, tx, "WHERE id IN (SELECT run_id FROM publication)").ToDictionary(r => r.Id, StringComparer.Ordinal);
        var list = publications.Select(p => new PublishedRun(p, runs.TryGetValue(p.RunId, out var run) ? run
            : throw new StoreException(StoreError.NotFound, $"{p.Period} {StoreText.Level(p.Level)} 发布的运行 {p.RunId} 不见了"))).ToList();
        list.Sort(PublishedRun.NewestFirst);
        return list;
    }

    private static Publication? ReadPublication(SqliteConnection c, SqliteTransaction? tx, Period period, UnitLevel level)
    {
        using var cmd = Command(c, tx, "SELECT run_id, actor, at, revision FROM publication WHERE period = $period AND level = $level;",
            ("$period", period.ToString()), ("$level", StoreText.Level(level)));
        using var r = cmd.ExecuteReader();
        return r.Read() ? new Publication(period, level, r.GetString(0), r.GetString(1), StoreText.Time(r.GetString(2)), r.GetInt32(3)) : null;
    }
}
