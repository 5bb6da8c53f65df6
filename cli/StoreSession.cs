using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Azure;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Ledger;
using Spectre.Console;

namespace BaiQianWan.Assess.Cli;

/// <summary>
/// The store a CLI command works on, chosen by <c>--store</c>: a file path opens SQLite (default
/// <c>./baiqianwan.db</c>); a connection string (<c>AccountName=…</c> or <c>UseDevelopmentStorage=true</c>)
/// opens Azure storage. Builds the <see cref="AssessmentService"/> with the document renderer from
/// <see cref="CreateRenderer"/>.
/// </summary>
internal sealed class StoreSession : IAsyncDisposable
{
    /// <summary>Exit code for a store state error: unknown run, run not succeeded, nothing published, store missing.</summary>
    public const int StoreStateError = 3;

    /// <summary>Exit code for a run that ended failed (its reason is printed).</summary>
    public const int RunFailed = 1;

    /// <summary>The default store: a SQLite file in the working directory.</summary>
    public const string DefaultStore = "baiqianwan.db";

    private static readonly AsyncLocal<Func<IDocumentRenderer?>?> RendererOverride = new();

    private static readonly AsyncLocal<TimeProvider?> ClockOverride = new();

    /// <summary>Where store commands read the time: the system clock, or the tests' (<see cref="UseClock"/>).</summary>
    public static TimeProvider Clock => ClockOverride.Value ?? TimeProvider.System;

    /// <summary>For tests: use another clock in the current async flow until disposed.</summary>
    public static IDisposable UseClock(TimeProvider clock)
    {
        var before = ClockOverride.Value;
        ClockOverride.Value = clock;
        return new Restore(() => ClockOverride.Value = before);
    }

    private StoreSession(IAssessStore store, ILedgerStore ledger, string description)
    {
        _store = store;
        _ledger = ledger;
        Description = description;
        LedgerBulletins = new LedgerBulletins(ledger, store, onMissing: (key, missing) => System.Console.Error.WriteLine($"字体缺字：{key}：{missing}"));
        // A unit with tasks in the ledger gets its ledger section in its scorecard (the run service reads it, once per year stamp).
        // A year's documents show the figures of the publications it read (their stored results, read back by run).
        var sources = new AnnualSources(store);
        Service = new AssessmentService(store, Clock, (RendererOverride.Value ?? (() => CreateRenderer(sources.Read)))(), ledger: ledger);
    }

    /// <summary>The task ledger's documents of this store (the monthly ledger bulletin, the scorecards' ledger section).</summary>
    public LedgerBulletins LedgerBulletins { get; }

    private readonly IAssessStore _store;
    private readonly ILedgerStore _ledger;

    /// <summary>True when the store is the SQLite file (its schema version is worth printing).</summary>
    public bool IsSqlite => _store is SqliteAssessStore;

    /// <summary>The store's one-line refusal for an error it raised while a command used it (a damaged page), if it is one.</summary>
    public StoreException? Refusal(Exception e) => (_store as SqliteAssessStore)?.Refusal(e);

    public AssessmentService Service { get; }

    /// <summary>What the store is, for messages (the file path, or the Azure account and table).</summary>
    public string Description { get; }

    /// <summary>
    /// The document renderer every store command uses: the PDF scorecards and bulletins of <c>scorecards/</c>,
    /// drawn on every core. A character no embedded font has is reported on stderr with its document.
    /// </summary>
    /// <param name="sources">The publications a year's result read (<see cref="AnnualSources.Read"/>), or null (listed only).</param>
    public static IDocumentRenderer? CreateRenderer(
        Func<BaiQianWan.Assess.Rules.Results.EvaluationResult, IReadOnlyList<BaiQianWan.Assess.Rules.Annual.Publication>>? sources = null) =>
        new PdfDocumentRenderer((key, missing) => System.Console.Error.WriteLine($"字体缺字：{key}：{missing}"), sources: sources);

    /// <summary>For tests: use another renderer factory in the current async flow until disposed.</summary>
    public static IDisposable UseRenderer(Func<IDocumentRenderer?> factory)
    {
        var before = RendererOverride.Value;
        RendererOverride.Value = factory;
        return new Restore(() => RendererOverride.Value = before);
    }

    /// <summary>True when <paramref name="store"/> is an Azure storage connection string or account URL rather than a path.</summary>
    public static bool IsAzure(string store) =>
        store.Contains("AccountName=", StringComparison.OrdinalIgnoreCase) || store.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase)
        || store.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Opens the store. With <paramref name="create"/> (<c>init</c>) it is created or migrated (pending migrations applied);
    /// otherwise it must exist and be at this program's schema version (a store that is behind is refused, naming
    /// <c>init</c>), and a SQLite file must already exist: a mistyped path should not silently start an empty store.
    /// </summary>
    /// <remarks>With <paramref name="fullCheck"/> (<c>init</c>, <c>store check</c>) every page is checked, else only what a start
    /// needs (<see cref="IStoreMaintenance.CheckAsync(bool, CancellationToken)"/>).</remarks>
    public static async Task<StoreSession> OpenAsync(string store, bool create, CancellationToken cancellationToken = default, bool fullCheck = false)
    {
        IAssessStore opened;
        ILedgerStore? ledger = null;
        string description;
        if (IsAzure(store))
        {
            var azure = new AzureAssessStore(store);
            opened = azure;
            description = $"Azure 存储（表 {azure.TableName}，容器 {azure.ContainerName}）";
        }
        else
        {
            var path = Path.GetFullPath(store);
            if (!create && !File.Exists(path))
                throw new StoreException(StoreError.NotFound, $"存储文件不存在：{path}（请先运行 init，或用 --store 指定）");
            opened = new SqliteAssessStore(path);
            description = path;
        }
        try
        {
            // init migrates (the explicit step); every other command refuses a store that is behind, naming init.
            if (create) await opened.InitializeAsync(cancellationToken);
            else await RequireCurrentAsync(opened, description, cancellationToken);
            // A damaged or read-only store is refused here, in one line, before the command does anything.
            await opened.CheckAsync(fullCheck, cancellationToken);
            // The task ledger of the same store: its derived observations join each run's data.
            ledger = IsAzure(store) ? new AzureLedgerStore(store) : new SqliteLedgerStore(Path.GetFullPath(store));
            await ledger.InitializeAsync(cancellationToken);
        }
        catch (Exception e) when (e is not (StoreException or OperationCanceledException))
        {
            if (ledger is not null) await ledger.DisposeAsync();
            await opened.DisposeAsync();
            throw new StoreException(StoreError.Conflict, $"无法打开存储 {description}：{e.Message.ReplaceLineEndings(" ")}");
        }
        catch
        {
            if (ledger is not null) await ledger.DisposeAsync();
            await opened.DisposeAsync();
            throw;
        }
        return new StoreSession(opened, ledger, description);
    }

    public async ValueTask DisposeAsync()
    {
        await _ledger.DisposeAsync();
        await _store.DisposeAsync();
    }

    private static async Task RequireCurrentAsync(IAssessStore store, string description, CancellationToken cancellationToken)
    {
        var schema = await store.GetSchemaAsync(cancellationToken);
        if (schema.IsAhead)
            throw new StoreException(StoreError.Conflict, $"存储 {description} 的结构版本 {schema.Version} 比本程序支持的 {schema.Latest} 新，请升级程序");
        if (schema.Version == 0)
            throw new StoreException(StoreError.NotFound, $"存储 {description} 还没有创建：请先运行 init");
        if (schema.IsBehind)
            throw new StoreException(StoreError.Conflict,
                $"存储 {description} 的结构版本 {schema.Version} 比本程序的 {schema.Latest} 旧：请先运行 init 升级（应用迁移 {schema.Version + 1}–{schema.Latest}，不改动已有数据）");
    }

    /// <summary>A Spectre console writing to <paramref name="stdout"/> (plain text when it is not a terminal).</summary>
    public static IAnsiConsole Console(TextWriter stdout)
    {
        var terminal = ReferenceEquals(stdout, System.Console.Out) && !System.Console.IsOutputRedirected;
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
