using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Azure;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Workflow;

namespace BaiQianWan.Assess.Functions.Hosting;

/// <summary>
/// Opens the store named by configuration: <c>Store:Kind</c> = <c>sqlite</c> (default; <c>Store:Connection</c> is
/// the file path, default <c>baiqianwan.db</c>) or <c>azure</c> (<c>Store:Connection</c> is a storage connection
/// string, e.g. <c>UseDevelopmentStorage=true</c>, or an account URL used with the managed identity; default the host's <c>AzureWebJobsStorage</c>; tables, containers
/// and queues are named with <c>Store:Prefix</c>, default <c>bqw</c>).
/// </summary>
public static class StoreSetup
{
    /// <summary>Default SQLite file, the same as the CLI's.</summary>
    public const string DefaultSqlitePath = "baiqianwan.db";

    /// <summary>The configured kind, lower case; anything but sqlite or azure is a <see cref="ConfigurationException"/>.</summary>
    public static string Kind(IConfiguration configuration) => (configuration["Store:Kind"] ?? "sqlite").Trim().ToLowerInvariant() switch
    {
        "sqlite" => "sqlite",
        "azure" => "azure",
        var other => throw new ConfigurationException($"Store:Kind 应为 sqlite 或 azure，这里是 '{other}'"),
    };

    /// <summary>The SQLite file (<c>Store:Connection</c>, default <see cref="DefaultSqlitePath"/>).</summary>
    public static string SqlitePath(IConfiguration configuration) =>
        configuration["Store:Connection"] is { Length: > 0 } path ? path : DefaultSqlitePath;

    /// <summary>
    /// The storage account the render queue lives in, as a connection string or account URL: the host's
    /// <c>AzureWebJobsStorage</c> (a connection string, or with a managed identity <c>AzureWebJobsStorage__accountName</c>
    /// or <c>__queueServiceUri</c>), else the store's.
    /// </summary>
    public static string? QueueConnection(IConfiguration configuration) =>
        configuration["AzureWebJobsStorage"] is { Length: > 0 } host ? host
        : configuration["AzureWebJobsStorage:queueServiceUri"] is { Length: > 0 } queueUri ? queueUri
        : configuration["AzureWebJobsStorage:accountName"] is { Length: > 0 } account ? $"https://{account}.queue.core.windows.net"
        : Kind(configuration) == "azure" ? AzureConnection(configuration) : null;

    /// <summary>
    /// Creates the store and applies its pending migrations (<see cref="IStoreMaintenance.InitializeAsync"/>: the host's start is
    /// one of the two places migrations run, <c>init</c> the other), or with <c>Store:Migrate=false</c> (migrations run at
    /// deploy, by <c>init</c>) refuses a store that is behind; then checks it is sound and takes writes
    /// (<see cref="IStoreMaintenance.CheckAsync(bool, CancellationToken)"/>: the header, schema and table roots, every page with
    /// <c>Store:FullCheckOnStart=true</c>): a damaged or read-only store refuses the start, not a later request.
    /// </summary>
    public static IAssessStore Open(IConfiguration configuration)
    {
        IAssessStore store = Kind(configuration) == "sqlite"
            ? new SqliteAssessStore(SqlitePath(configuration))
            : new AzureAssessStore(AzureConnection(configuration), configuration["Store:Prefix"] is { Length: > 0 } prefix ? prefix : "bqw");
        // Blocking once, at first use, keeps the composition simple; every later call is async.
        try
        {
            if (!string.Equals(configuration["Store:Migrate"], "false", StringComparison.OrdinalIgnoreCase))
                store.InitializeAsync().GetAwaiter().GetResult();
            else if (store.GetSchemaAsync().GetAwaiter().GetResult() is var schema && schema.Version != schema.Latest)
                throw new StoreException(StoreError.Conflict,
                    $"存储的结构版本 {schema.Version} 与本程序的 {schema.Latest} 不符（Store__Migrate=false）：请先用 init 升级存储，或升级程序");
            StartupTrace.Mark("store-initialized");
            // The start check reads what a start needs; every page only when asked (Store__FullCheckOnStart=true; init and store check always do).
            store.CheckAsync(string.Equals(configuration["Store:FullCheckOnStart"], "true", StringComparison.OrdinalIgnoreCase)).GetAwaiter().GetResult();
            StartupTrace.Mark("store-checked");
        }
        catch
        {
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
        return store;
    }

    /// <summary>
    /// Opens the task ledger of the same store (SQLite: tables in the same file; Azure: its own table and container, same
    /// prefix) and creates its tables if needed. Opened after <see cref="Open"/>, whose checks it relies on.
    /// </summary>
    public static ILedgerStore OpenLedger(IConfiguration configuration)
    {
        ILedgerStore ledger = Kind(configuration) == "sqlite"
            ? new SqliteLedgerStore(SqlitePath(configuration))
            : new AzureLedgerStore(AzureConnection(configuration), configuration["Store:Prefix"] is { Length: > 0 } prefix ? prefix : "bqw");
        try
        {
            ledger.InitializeAsync().GetAwaiter().GetResult();
        }
        catch
        {
            ledger.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
        return ledger;
    }

    /// <summary>
    /// Opens the store at a host's start (<see cref="Open"/>, through the container); any failure is a
    /// <see cref="ConfigurationException"/> of one line naming the store, so the host refuses to start.
    /// </summary>
    public static void OpenAtStart(IServiceProvider services, IConfiguration configuration)
    {
        try
        {
            services.GetRequiredService<IAssessStore>();
        }
        catch (Exception e) when (e is not ConfigurationException)
        {
            var where = Kind(configuration) == "sqlite" ? Path.GetFullPath(SqlitePath(configuration)) : "Azure 存储";
            // The store's own refusals name it already; anything else (a file that is no database, storage not there) gets its name here.
            var reason = e is StoreException ? e.Message : $"无法打开存储 {where}：{e.Message}";
            throw new ConfigurationException(Rules.Data.TextRules.Escape(reason.ReplaceLineEndings(" ")));
        }
    }

    /// <summary>
    /// After a successful import (not a repeated file), sweeps superseded data (<see cref="IStoreMaintenance.SweepAsync"/>,
    /// with <see cref="SweepReport.DefaultGrace"/>) unless <c>Store:SweepAfterImport</c> is <c>false</c>. A sweep that
    /// fails is logged and does not fail the import: the next one finishes its work.
    /// </summary>
    public static async Task SweepAfterImportAsync(AssessmentService service, ImportOutcome outcome, IServiceProvider services, CancellationToken cancellationToken)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        if (outcome.AlreadyImported || !(configuration.GetValue<bool?>("Store:SweepAfterImport") ?? true)) return;
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StoreSetup));
        try
        {
            var report = await service.SweepAsync(SweepReport.DefaultGrace, cancellationToken);
            log.LogInformation("Sweep after import {Batch}: {Deleted} deleted, {Marked} marked, {Waiting} waiting, {Kept} kept",
                outcome.Batch.Id, report.Deleted, report.Marked, report.Waiting, report.Kept);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Sweep after import {Batch} failed; the next sweep finishes it", outcome.Batch.Id);
        }
    }

    private static string AzureConnection(IConfiguration configuration) =>
        configuration["Store:Connection"] is { Length: > 0 } c ? c
        : configuration["AzureWebJobsStorage"] is { Length: > 0 } h ? h
        : throw new ConfigurationException("Store:Kind=azure 需要 Store:Connection（存储连接字符串或账户 URL）或 AzureWebJobsStorage");
}
