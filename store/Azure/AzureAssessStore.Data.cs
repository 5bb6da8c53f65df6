using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store.Internal;

namespace BaiQianWan.Assess.Store.Azure;

// Units and data: a year's units and a period's figures as blobs per generation behind heads in the control partition; import batches.
public sealed partial class AzureAssessStore
{
    /// <inheritdoc />
    public async Task<ImportOutcome> ImportUnitsAsync(int year, IReadOnlyList<Unit> units, ImportSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(source);
        var duplicate = units.GroupBy(u => u.Code, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new StoreException(StoreError.Invalid, $"单位代码 '{duplicate.Key}' 重复");
        var sha = StoreText.Sha256(source.Content);
        var json = JsonSerializer.SerializeToUtf8Bytes(units.Select(u => new[] { u.Code, u.Name, u.Level.ToText(), u.Parent, u.Class }));
        var owner = year.ToString(CultureInfo.InvariantCulture);
        var generation = NewGeneration();
        var unitsBlob = AzureNames.UnitsBlob(year, generation);
        var uploaded = false;
        return await MutateAsync(async change =>
        {
            var earlier = await FindBatchAsync(ImportKind.Units, year, sha, cancellationToken);
            if (earlier is not null) return change.NoOp(new ImportOutcome(earlier, true));
            if (!uploaded)
            {
                await UploadAsync(AzureNames.ImportBlob(sha), source.Content, null, cancellationToken);
                await RegisterAsync(AzureNames.UnitsKind, owner, generation, unitsBlob, null, cancellationToken);
                await UploadAsync(unitsBlob, json, null, cancellationToken);
                uploaded = true;
            }
            var head = await RetrieveAsync(AzureNames.UnitsHead(year), cancellationToken);
            var batch = change.NewBatch(ImportKind.Units, year, source, sha, units.Count);
            var next = new TableEntity(AzureNames.Control, AzureNames.UnitsHead(year))
            {
                ["Blob"] = unitsBlob,
                ["Generation"] = generation,
                ["BatchId"] = batch.Id,
            };
            change.Put(next, head);
            change.Audit(source.At, source.Actor, "import.units", owner, StoreText.Describe(source, sha, units.Count) + $" batch={batch.Id}");
            return change.Done(new ImportOutcome(batch, false));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Unit>> GetUnitsAsync(int year, CancellationToken cancellationToken = default)
    {
        var head = await RetrieveAsync(AzureNames.UnitsHead(year), cancellationToken);
        if (head is null) return [];
        var units = ReadUnitsJson(await DownloadAsync(head.GetString("Blob"), cancellationToken)
            ?? throw new StoreException(StoreError.NotFound, $"{year} 年的单位数据不见了"));
        units.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));
        return units;
    }

    /// <inheritdoc />
    public async Task<ImportOutcome> ImportObservationsAsync(IReadOnlyList<Observation> observations, ImportSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(source);
        var sha = StoreText.Sha256(source.Content);
        var uploaded = false;
        return await MutateAsync(async change =>
        {
            var earlier = await FindBatchAsync(ImportKind.Observations, null, sha, cancellationToken);
            if (earlier is not null) return change.NoOp(new ImportOutcome(earlier, true));
            // Every attempt checks the units again, read after this attempt's counter: a units import that commits
            // before this change moves the counter on, so this change is refused (412) and built again on the new
            // units, as SQLite checks them inside the import's transaction.
            await CheckUnitsAsync(observations, cancellationToken);
            if (!uploaded)
            {
                await UploadAsync(AzureNames.ImportBlob(sha), source.Content, null, cancellationToken);
                uploaded = true;
            }
            var head = await RetrieveAsync(AzureNames.ObservationHead, cancellationToken);
            var generations = ReadGenerations(head);
            // Each attempt writes its own generation: one that lost the race to another writer is left to the sweep.
            var generation = NewGeneration();
            var periods = observations.GroupBy(o => o.Period).ToList();
            await Parallel.ForEachAsync(periods, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (period, ct) =>
            {
                // Merge with the current figures of the period and write the whole period as a new generation.
                var figures = generations.TryGetValue(period.Key.ToString(), out var current)
                    ? await ReadObservationsAsync(period.Key, current, ct)
                    : new SortedDictionary<(string, string), Observation>(UnitIndicatorOrder.Instance);
                foreach (var o in period) figures[(o.Unit, o.Indicator)] = o;
                var blob = AzureNames.ObservationBlob(period.Key.ToString(), generation);
                await RegisterAsync(AzureNames.ObservationsKind, period.Key.ToString(), generation, blob, null, ct);
                await UploadAsync(blob, JsonSerializer.SerializeToUtf8Bytes(figures.Values.Select(FigureRow)), null, ct);
            });
            foreach (var period in periods) generations[period.Key.ToString()] = generation;
            var batch = change.NewBatch(ImportKind.Observations, null, source, sha, observations.Count, ImportBatch.PeriodsOf(observations));
            var next = new TableEntity(AzureNames.Control, AzureNames.ObservationHead);
            SetChunked(next, "Periods", JsonSerializer.Serialize(generations));
            change.Put(next, head);
            change.Audit(source.At, source.Actor, "import.observations", batch.Id, StoreText.Describe(source, sha, observations.Count));
            return change.Done(new ImportOutcome(batch, false));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Observation>> GetObservationsAsync(Period period, CancellationToken cancellationToken = default)
    {
        var generations = ReadGenerations(await RetrieveAsync(AzureNames.ObservationHead, cancellationToken));
        if (!generations.TryGetValue(period.ToString(), out var generation)) return [];
        return [.. (await ReadObservationsAsync(period, generation, cancellationToken)).Values];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ImportBatch>> ListImportsAsync(CancellationToken cancellationToken = default)
    {
        var rows = await QueryControlAsync("batch|", cancellationToken);
        return [.. rows.OrderByDescending(r => r.RowKey, StringComparer.Ordinal).Select(ReadBatch)];
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetImportFileAsync(string batchId, CancellationToken cancellationToken = default)
    {
        // Batch ids are imp-NNNNNN, the counter's sequence: the row key follows from the id.
        if (!batchId.StartsWith("imp-", StringComparison.Ordinal) || !long.TryParse(batchId.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            return null;
        var batch = await RetrieveAsync(AzureNames.Batch(sequence), cancellationToken);
        return batch is null || batch.GetString("Id") != batchId ? null : await DownloadAsync(AzureNames.ImportBlob(batch.GetString("Sha256")), cancellationToken);
    }

    private async Task<ImportBatch?> FindBatchAsync(ImportKind kind, int? year, string sha, CancellationToken cancellationToken)
    {
        var bySha = await RetrieveAsync(AzureNames.BatchBySha(kind, year, sha), cancellationToken);
        if (bySha is null) return null;
        var row = await RetrieveAsync(bySha.GetString("Row"), cancellationToken);
        return row is null ? null : ReadBatch(row);
    }

    private static ImportBatch ReadBatch(TableEntity r) => new(
        r.GetString("Id"), StoreText.ImportKindOf(r.GetString("Kind")), r.GetInt32("Year"),
        r.GetString("FileName"), r.GetString("Sha256"), r.GetInt32("RowCount")!.Value,
        r.GetString("Actor"), StoreText.Time(r.GetString("At")), r.GetString("Periods"));

    private async Task CheckUnitsAsync(IReadOnlyList<Observation> observations, CancellationToken cancellationToken)
    {
        var byYear = new Dictionary<int, HashSet<string>>();
        var unknown = new List<string>();
        for (var i = 0; i < observations.Count; i++)
        {
            var o = observations[i];
            if (!byYear.TryGetValue(o.Period.Year, out var codes))
                byYear[o.Period.Year] = codes = (await GetUnitsAsync(o.Period.Year, cancellationToken)).Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
            if (!codes.Contains(o.Unit)) unknown.Add($"第 {i + 1} 条：单位 '{o.Unit}' 不在 {o.Period.Year} 年的单位名单中");
        }
        if (unknown.Count > 0) throw new StoreException(StoreError.Invalid, string.Join("\n", unknown));
    }

    private static Dictionary<string, string> ReadGenerations(TableEntity? head) =>
        head is null ? new Dictionary<string, string>(StringComparer.Ordinal)
            : JsonSerializer.Deserialize<Dictionary<string, string>>(GetChunked(head, "Periods")) ?? [];

    private async Task<SortedDictionary<(string, string), Observation>> ReadObservationsAsync(Period period, string generation, CancellationToken cancellationToken)
    {
        var json = await DownloadAsync(AzureNames.ObservationBlob(period.ToString(), generation), cancellationToken)
            ?? throw new StoreException(StoreError.NotFound, $"{period} 的填报数据不见了");
        var figures = new SortedDictionary<(string, string), Observation>(UnitIndicatorOrder.Instance);
        foreach (var f in JsonSerializer.Deserialize<string?[][]>(json)!)
            figures[(f[0]!, f[1]!)] = new Observation(f[0]!, f[1]!, period, StoreText.Dec(f[2]!), StoreText.OptDec(f[3]), StoreText.OptDec(f[4]),
                f.Length > 5 ? StoreText.OptDec(f[5]) : null);
        return figures;
    }

    /// <summary>
    /// One figure of a period's blob: unit, indicator, actual, target, baseline, and the plan as a sixth element only when
    /// there is one, so a period without plans is stored as before and a blob an earlier program wrote reads with null plans.
    /// </summary>
    private static string?[] FigureRow(Observation o) => o.Plan is { } plan
        ? [o.Unit, o.Indicator, StoreText.Dec(o.Actual), StoreText.Dec(o.Target), StoreText.Dec(o.Baseline), StoreText.Dec(plan)]
        : [o.Unit, o.Indicator, StoreText.Dec(o.Actual), StoreText.Dec(o.Target), StoreText.Dec(o.Baseline)];

    /// <summary>Unit, then indicator, ordinal: the order <see cref="GetObservationsAsync"/> promises.</summary>
    private sealed class UnitIndicatorOrder : IComparer<(string Unit, string Indicator)>
    {
        public static readonly UnitIndicatorOrder Instance = new();

        public int Compare((string Unit, string Indicator) x, (string Unit, string Indicator) y)
        {
            var c = string.CompareOrdinal(x.Unit, y.Unit);
            return c != 0 ? c : string.CompareOrdinal(x.Indicator, y.Indicator);
        }
    }

    private static List<Unit> ReadUnitsJson(byte[] json) =>
        [.. JsonSerializer.Deserialize<string?[][]>(json)!.Select(u => new Unit(u[0]!, u[1]!, StoreText.Level(u[2]!), u[3], u[4]!))];
}
