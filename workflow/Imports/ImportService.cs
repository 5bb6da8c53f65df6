using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow.Imports;

/// <summary>
/// The import use case: units and observations files (CSV or XLSX) checked row by row, all or nothing, then handed to
/// the store, which checks again inside its change what a concurrent import could have changed.
/// </summary>
public sealed class ImportService
{
    private readonly IUnitDataStore _data;
    private readonly IRunStore _runs;
    private readonly TimeProvider _clock;
    private readonly Rulesets.RulesetCatalog? _catalog;

    /// <summary>Creates the service.</summary>
    /// <param name="data">Units, observations and import batches.</param>
    /// <param name="runs">The runs (whose units a units file must not drop unconfirmed).</param>
    /// <param name="clock">Where times come from.</param>
    /// <param name="catalog">The rulesets, whose active year rulesets' derived ids an observations file may not carry for a
    /// year (annual §2), or null (no such check).</param>
    public ImportService(IUnitDataStore data, IRunStore runs, TimeProvider clock, Rulesets.RulesetCatalog? catalog = null)
    {
        _catalog = catalog;
        _data = data ?? throw new ArgumentNullException(nameof(data));
        _runs = runs ?? throw new ArgumentNullException(nameof(runs));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    }

    private DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>How each host confirms a units file that drops units stored runs used, or empties the year.</summary>
    private const string ConfirmReplaceAll = "请明确确认（命令行 --replace-all，API ?replaceAll=true，门户勾选“确认替换整个名单”）";

    /// <summary>Imports the units (and classes) of <paramref name="year"/> from a CSV or XLSX file; all or nothing.</summary>
    /// <exception cref="InputRejectedException">The file has bad rows (all of them are listed).</exception>
    /// <exception cref="StoreException">Conflict: the import would empty the year or drop units stored runs used (see the overload).</exception>
    public Task<ImportOutcome> ImportUnitsAsync(int year, byte[] content, string fileName, string actor, CancellationToken cancellationToken = default) =>
        ImportUnitsAsync(year, content, fileName, actor, replaceAll: false, cancellationToken);

    /// <summary>
    /// Imports the units (and classes) of <paramref name="year"/> from a CSV or XLSX file, replacing that year's list;
    /// all or nothing. The units must form a hierarchy (a town's parent a county of the file, a village's a town, a
    /// county's a city or none). An import that would leave the year with no units, or remove units that stored
    /// runs of that year evaluated, is refused (<see cref="StoreError.Conflict"/>, naming them) unless
    /// <paramref name="replaceAll"/> confirms it (<c>--replace-all</c> on the CLI).
    /// </summary>
    /// <exception cref="InputRejectedException">The file has bad rows (all of them are listed).</exception>
    /// <exception cref="StoreException">Conflict: the import needs <paramref name="replaceAll"/>.</exception>
    public async Task<ImportOutcome> ImportUnitsAsync(int year, byte[] content, string fileName, string actor, bool replaceAll,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (year is < 1900 or > 9999) throw new ArgumentOutOfRangeException(nameof(year), year, "year");
        fileName = UploadNames.Of(fileName);
        var read = DataImport.ReadUnits(content, fileName);
        if (!read.IsValid) throw InputRejectedException.For(fileName, [.. read.Errors.Select(InputError.Of)]);
        if (!replaceAll)
        {
            if (read.Rows.IsEmpty)
                throw new StoreException(StoreError.Conflict,
                    $"{fileName} 没有任何单位，导入后 {year} 年将没有单位；确认要清空该年度的单位名单，{ConfirmReplaceAll}");
            var kept = read.Rows.Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
            var removed = (await _data.GetUnitsAsync(year, cancellationToken)).Where(u => !kept.Contains(u.Code)).Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
            if (removed.Count > 0 && await UnitsUsedByRunsAsync(year, removed, cancellationToken) is { Count: > 0 } used)
            {
                var codes = used.Keys.Order(StringComparer.Ordinal).ToList();
                var runs = used.Values.Distinct().Order(StringComparer.Ordinal).Take(5);
                throw new StoreException(StoreError.Conflict,
                    $"{fileName} 会删除 {year} 年已有评价运行（{string.Join("、", runs)}）用到的 {codes.Count} 个单位：{string.Join("、", codes.Take(10))}{(codes.Count > 10 ? " 等" : "")}；确认要替换整个名单，{ConfirmReplaceAll}");
            }
        }
        return await _data.ImportUnitsAsync(year, read.Rows, new ImportSource(fileName, content, actor, Now), cancellationToken);
    }

    /// <summary>
    /// Of <paramref name="codes"/>, those some stored run of <paramref name="year"/> has a result for, with the newest such
    /// run each (one query of the store, <see cref="IRunStore.ListUnitsUsedByRunsAsync"/>: no run's results are read).
    /// </summary>
    private async Task<Dictionary<string, string>> UnitsUsedByRunsAsync(int year, IReadOnlySet<string> codes, CancellationToken cancellationToken) =>
        (await _runs.ListUnitsUsedByRunsAsync(year, cancellationToken)).Where(u => codes.Contains(u.UnitCode))
            .ToDictionary(u => u.UnitCode, u => u.RunId, StringComparer.Ordinal);

    /// <summary>
    /// Imports observations from a CSV or XLSX file (any periods; columns starting with <c>#</c> are notes);
    /// every unit must exist in the units of its row's year. All or nothing; the same file again is a no-op.
    /// </summary>
    /// <exception cref="InputRejectedException">The file has bad rows (all of them are listed).</exception>
    public Task<ImportOutcome> ImportObservationsAsync(byte[] content, string fileName, string actor, CancellationToken cancellationToken = default) =>
        ImportObservationsAsync(content, fileName, actor, null, cancellationToken);

    /// <summary>
    /// Imports observations of one period only: a file with a row of another period is rejected, naming those rows
    /// (an upload addressed to a period must not write figures elsewhere) together with every other bad row of the
    /// file, whatever its kind. Otherwise as the overload without it.
    /// </summary>
    /// <exception cref="InputRejectedException">A row of another period, or bad rows (all of them are listed).</exception>
    public async Task<ImportOutcome> ImportObservationsAsync(byte[] content, string fileName, string actor, Period? onlyPeriod,
        CancellationToken cancellationToken = default)
    {
        fileName = UploadNames.Of(fileName);
        var rows = await CheckObservationsAsync(content, fileName, onlyPeriod, cancellationToken);
        return await _data.ImportObservationsAsync(rows, new ImportSource(fileName, content, actor, Now), cancellationToken);
    }

    /// <summary>
    /// What an observations file would import, per period (rows, units, indicators, and the rows the period holds now),
    /// after every check the import makes; nothing is written. The portal shows it before a file of several periods is
    /// imported.
    /// </summary>
    /// <exception cref="InputRejectedException">Bad rows (all of them are listed), as the import would refuse them.</exception>
    public async Task<ObservationsPreview> PreviewObservationsAsync(byte[] content, string fileName, Period? onlyPeriod = null,
        CancellationToken cancellationToken = default)
    {
        fileName = UploadNames.Of(fileName);
        var rows = await CheckObservationsAsync(content, fileName, onlyPeriod, cancellationToken);
        var periods = new List<PeriodPreview>();
        foreach (var group in rows.GroupBy(o => o.Period).OrderBy(g => g.Key))
        {
            var stored = (await _data.GetObservationsAsync(group.Key, cancellationToken)).Count;
            periods.Add(new PeriodPreview(group.Key, group.Count(), group.Select(o => o.Unit).Distinct(StringComparer.Ordinal).Count(),
                [.. group.Select(o => o.Indicator).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], stored));
        }
        return new ObservationsPreview(fileName, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)), rows.Count, periods);
    }

    /// <summary>
    /// Every error an import of the file would report, or none; nothing is written. For the full list of a refusal (its CSV):
    /// observations checked against <paramref name="onlyPeriod"/> when given (units files ignore it).
    /// </summary>
    public async Task<IReadOnlyList<InputError>> ErrorsAsync(ImportKind kind, byte[] content, string fileName, Period? onlyPeriod,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        fileName = UploadNames.Of(fileName);
        try
        {
            if (kind == ImportKind.Units)
            {
                var read = DataImport.ReadUnits(content, fileName);
                return [.. read.Errors.Select(InputError.Of)];
            }
            await CheckObservationsAsync(content, fileName, onlyPeriod, cancellationToken);
            return [];
        }
        catch (InputRejectedException e)
        {
            return e.Errors;
        }
    }

    /// <summary>The observations of a file after every check (units of each row's year from the store); nothing is written.</summary>
    private async Task<IReadOnlyList<Observation>> CheckObservationsAsync(byte[] content, string fileName, Period? onlyPeriod,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var table = DataImport.ReadTable(content, fileName, DataFiles.ObservationColumns);
        if (table.Errors.IsEmpty && table.Rows.IsEmpty)
        {
            // A header-only file would import nothing and let an evaluation score every unit 0 without a word.
            throw new InputRejectedException(fileName, [new InputError(fileName, 2, "-", "文件只有表头，没有数据行")]);
        }
        var unitsByYear = new Dictionary<int, IReadOnlySet<string>>();
        foreach (var year in DataImport.YearsOf(table))
            unitsByYear[year] = (await _data.GetUnitsAsync(year, cancellationToken)).Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        // Rows of another period are bad rows like any other: the file's every problem is reported at once.
        // (annual §2) a year's row carrying an id an active year ruleset's sources derive is refused here, at its row.
        var derived = _catalog is null || !table.Rows.Any(r => Period.TryParse(r.Cells["period"], out var p) && p.IsWholeYear)
            ? null : await _catalog.DerivedIdsAsync(cancellationToken);
        var read = DataImport.ReadObservations(table, unitsByYear, onlyPeriod, derived);
        if (!read.IsValid) throw InputRejectedException.For(fileName, [.. read.Errors.Select(InputError.Of)]);
        return read.Rows;
    }
}

/// <summary>What an observations file would import (<see cref="ImportService.PreviewObservationsAsync"/>).</summary>
/// <param name="FileName">The file's name.</param>
/// <param name="Sha256">The file's SHA-256 (hex), so that what is confirmed is what was previewed.</param>
/// <param name="Rows">Rows in all.</param>
/// <param name="Periods">Per period, in order.</param>
public sealed record ObservationsPreview(string FileName, string Sha256, int Rows, IReadOnlyList<PeriodPreview> Periods);

/// <summary>One period of an <see cref="ObservationsPreview"/>.</summary>
/// <param name="Period">The period.</param>
/// <param name="Rows">Rows of the file in it.</param>
/// <param name="Units">Units they cover.</param>
/// <param name="Indicators">Indicator ids they cover, in order.</param>
/// <param name="StoredRows">Rows the store holds for the period now (figures of the same unit and indicator are replaced).</param>
public sealed record PeriodPreview(Period Period, int Rows, int Units, IReadOnlyList<string> Indicators, int StoredRows);
