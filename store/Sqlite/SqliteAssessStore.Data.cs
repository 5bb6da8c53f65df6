using System.Globalization;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store.Internal;
using Microsoft.Data.Sqlite;

namespace BaiQianWan.Assess.Store.Sqlite;

// Units and data: the units of each year, the figures of each period (one row per unit, indicator and period), import batches with their files.
public sealed partial class SqliteAssessStore
{
    /// <inheritdoc />
    public async Task<ImportOutcome> ImportUnitsAsync(int year, IReadOnlyList<Unit> units, ImportSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(source);
        var sha = StoreText.Sha256(source.Content);
        return await ChangeAsync(change =>
        {
            var (c, tx) = change;
            var earlier = FindBatch(c, tx, "kind = 'units' AND year = $year AND sha256 = $sha", ("$year", year), ("$sha", sha));
            if (earlier is not null) return change.NoOp(new ImportOutcome(earlier, true));
            var batch = InsertBatch(c, tx, ImportKind.Units, year, source, sha, units.Count);
            Exec(c, tx, "DELETE FROM unit WHERE year = $year;", ("$year", year));
            using (var insert = Command(c, tx, "INSERT INTO unit (year, code, name, level, parent, class, batch_id) VALUES ($year, $code, $name, $level, $parent, $class, $batch);"))
            {
                var p = Params(insert, "$year", "$code", "$name", "$level", "$parent", "$class", "$batch");
                p[0].Value = year;
                p[6].Value = batch.Id;
                foreach (var u in units)
                {
                    p[1].Value = u.Code;
                    p[2].Value = u.Name;
                    p[3].Value = StoreText.Level(u.Level);
                    p[4].Value = (object?)u.Parent ?? DBNull.Value;
                    p[5].Value = u.Class;
                    try
                    {
                        insert.ExecuteNonQuery();
                    }
                    catch (SqliteException e) when (e.SqliteErrorCode == 19)
                    {
                        throw new StoreException(StoreError.Invalid, $"单位代码 '{u.Code}' 重复");
                    }
                }
            }
            change.Audit(source.At, source.Actor, "import.units", year.ToString(CultureInfo.InvariantCulture), StoreText.Describe(source, sha, units.Count) + $" batch={batch.Id}");
            return new ImportOutcome(batch, false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Unit>> GetUnitsAsync(int year, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        var units = new List<Unit>();
        using var cmd = Command(c, null, "SELECT code, name, level, parent, class FROM unit WHERE year = $year;", ("$year", year));
        using var r = cmd.ExecuteReader();
        while (r.Read())
            units.Add(new Unit(r.GetString(0), r.GetString(1), StoreText.Level(r.GetString(2)), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4)));
        units.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));
        return units;
    }

    /// <inheritdoc />
    public async Task<ImportOutcome> ImportObservationsAsync(IReadOnlyList<Observation> observations, ImportSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(source);
        var sha = StoreText.Sha256(source.Content);
        return await ChangeAsync(change =>
        {
            var (c, tx) = change;
            var earlier = FindBatch(c, tx, "kind = 'observations' AND sha256 = $sha", ("$sha", sha));
            if (earlier is not null) return change.NoOp(new ImportOutcome(earlier, true));

            var unitsByYear = new Dictionary<int, HashSet<string>>();
            var unknown = new List<string>();
            for (var i = 0; i < observations.Count; i++)
            {
                var o = observations[i];
                if (!unitsByYear.TryGetValue(o.Period.Year, out var codes))
                {
                    codes = new HashSet<string>(StringComparer.Ordinal);
                    using var q = Command(c, tx, "SELECT code FROM unit WHERE year = $year;", ("$year", o.Period.Year));
                    using var r = q.ExecuteReader();
                    while (r.Read()) codes.Add(r.GetString(0));
                    unitsByYear[o.Period.Year] = codes;
                }
                if (!codes.Contains(o.Unit)) unknown.Add($"第 {i + 1} 条：单位 '{o.Unit}' 不在 {o.Period.Year} 年的单位名单中");
            }
            if (unknown.Count > 0) throw new StoreException(StoreError.Invalid, string.Join("\n", unknown));

            var batch = InsertBatch(c, tx, ImportKind.Observations, null, source, sha, observations.Count, ImportBatch.PeriodsOf(observations));
            using (var upsert = Command(c, tx, """
                INSERT INTO observation (period, unit, indicator, actual, target, baseline, plan, batch_id)
                VALUES ($period, $unit, $indicator, $actual, $target, $baseline, $plan, $batch)
                ON CONFLICT (period, unit, indicator) DO UPDATE SET
                    actual = excluded.actual, target = excluded.target, baseline = excluded.baseline, plan = excluded.plan,
                    batch_id = excluded.batch_id;
                """))
            {
                var p = Params(upsert, "$period", "$unit", "$indicator", "$actual", "$target", "$baseline", "$plan", "$batch");
                p[7].Value = batch.Id;
                foreach (var o in observations)
                {
                    p[0].Value = o.Period.ToString();
                    p[1].Value = o.Unit;
                    p[2].Value = o.Indicator;
                    p[3].Value = StoreText.Dec(o.Actual);
                    p[4].Value = (object?)StoreText.Dec(o.Target) ?? DBNull.Value;
                    p[5].Value = (object?)StoreText.Dec(o.Baseline) ?? DBNull.Value;
                    p[6].Value = (object?)StoreText.Dec(o.Plan) ?? DBNull.Value;
                    upsert.ExecuteNonQuery();
                }
            }
            change.Audit(source.At, source.Actor, "import.observations", batch.Id, StoreText.Describe(source, sha, observations.Count));
            return new ImportOutcome(batch, false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Observation>> GetObservationsAsync(Period period, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        var list = new List<Observation>();
        using var cmd = Command(c, null, "SELECT unit, indicator, actual, target, baseline, plan FROM observation WHERE period = $period;", ("$period", period.ToString()));
        using var r = cmd.ExecuteReader();
        while (r.Read())
            list.Add(new Observation(r.GetString(0), r.GetString(1), period, StoreText.Dec(r.GetString(2)),
                StoreText.OptDec(r.IsDBNull(3) ? null : r.GetString(3)), StoreText.OptDec(r.IsDBNull(4) ? null : r.GetString(4)),
                StoreText.OptDec(r.IsDBNull(5) ? null : r.GetString(5))));
        list.Sort(static (a, b) =>
        {
            var byUnit = string.CompareOrdinal(a.Unit, b.Unit);
            return byUnit != 0 ? byUnit : string.CompareOrdinal(a.Indicator, b.Indicator);
        });
        return list;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ImportBatch>> ListImportsAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        using var cmd = Command(c, null, "SELECT id, kind, year, file_name, sha256, row_count, actor, at, periods FROM import_batch ORDER BY seq DESC;");
        using var r = cmd.ExecuteReader();
        var list = new List<ImportBatch>();
        while (r.Read()) list.Add(ReadBatch(r));
        return list;
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetImportFileAsync(string batchId, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        return Scalar(c, null, "SELECT content FROM import_batch WHERE id = $id;", ("$id", batchId)) as byte[];
    }

    private static ImportBatch? FindBatch(SqliteConnection c, SqliteTransaction tx, string where, params (string, object?)[] args)
    {
        using var cmd = Command(c, tx, $"SELECT id, kind, year, file_name, sha256, row_count, actor, at, periods FROM import_batch WHERE {where} ORDER BY seq LIMIT 1;", args);
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadBatch(r) : null;
    }

    private static ImportBatch InsertBatch(SqliteConnection c, SqliteTransaction tx, ImportKind kind, int? year, ImportSource source, string sha, int rows,
        string? periods = null)
    {
        var seq = Convert.ToInt64(Scalar(c, tx, "SELECT COALESCE(MAX(seq), 0) + 1 FROM import_batch;"), CultureInfo.InvariantCulture);
        var batch = new ImportBatch(StoreText.BatchId(seq), kind, year, source.FileName, sha, rows, source.Actor, source.At, periods);
        Exec(c, tx, """
            INSERT INTO import_batch (seq, id, kind, year, file_name, sha256, row_count, actor, at, content, periods)
            VALUES ($seq, $id, $kind, $year, $file, $sha, $rows, $actor, $at, $content, $periods);
            """,
            ("$seq", seq), ("$id", batch.Id), ("$kind", StoreText.Kind(kind)), ("$year", year), ("$file", source.FileName), ("$sha", sha),
            ("$rows", rows), ("$actor", source.Actor), ("$at", StoreText.Time(source.At)), ("$content", source.Content), ("$periods", periods));
        return batch;
    }

    private static ImportBatch ReadBatch(SqliteDataReader r) => new(
        r.GetString(0), StoreText.ImportKindOf(r.GetString(1)), r.IsDBNull(2) ? null : r.GetInt32(2), r.GetString(3), r.GetString(4),
        r.GetInt32(5), r.GetString(6), StoreText.Time(r.GetString(7)), r.IsDBNull(8) ? null : r.GetString(8));
}
