using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;

namespace BaiQianWan.Assess.Store.Azure;

// Maintenance: the table and container created, numbered migrations, the schema read, and deletion (tests).
public sealed partial class AzureLedgerStore
{
    /// <summary>
    /// The numbered migrations of the ledger's table, in order. Its counter (partition <c>ctl</c>, row <c>counter</c>) holds
    /// how many are applied in <c>Schema</c> (a ledger table an older program made, without a counter, has 1); each is
    /// recorded by an entity <c>schema|NNNN</c> (its name) written in the same transaction that moves <c>Schema</c> on.
    /// </summary>
    internal static readonly (int Number, string Name)[] Migrations =
    [
        (1, "ledger: table and container (tasks and history entries by year, evidence by SHA-256)"),
        (2, "ledger: generations (a pointer per year; the rows of layout 1 read as generation 0)"),
    ];

    /// <summary>The schema version this code writes (the number of migrations).</summary>
    public static int SchemaVersion => Migrations.Length;

    private static TableEntity MigrationRecord(int number) =>
        new(AzureNames.Control, AzureNames.Migration(number)) { ["Number"] = number, ["Name"] = Migrations[number - 1].Name };

    /// <inheritdoc />
    /// <remarks>
    /// Creates the table and the container when missing and the counter (at 1 with its record: what a ledger table made
    /// before migrations holds), then applies the pending migrations in order, each once (by the counter's ETag).
    /// </remarks>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _table.CreateIfNotExistsAsync(cancellationToken);
        await _blobs.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken);
        try
        {
            await _table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(AzureNames.Control, AzureNames.Counter) { ["Schema"] = 1 }),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, MigrationRecord(1)),
            ], cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Already initialized.
        }
        while (true)
        {
            var counter = (await _table.GetEntityAsync<TableEntity>(AzureNames.Control, AzureNames.Counter, cancellationToken: cancellationToken)).Value;
            var version = counter.GetInt32("Schema") ?? 1;
            if (version > SchemaVersion)
                throw new StoreException(StoreError.Conflict, $"Azure 存储（表 {TableName}）的台账结构版本 {version} 比本程序支持的 {SchemaVersion} 新，请升级程序");
            if (version == SchemaVersion) return;
            // Migration 2 changes no row: layout 1's keys are generation 0's, and a year gets its pointer on its first write.
            try
            {
                await _table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpdateReplace,
                        new TableEntity(AzureNames.Control, AzureNames.Counter) { ["Schema"] = version + 1 }, counter.ETag),
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, MigrationRecord(version + 1)),
                ], cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 412 or 409)
            {
                // Another start migrated first: read again.
            }
        }
    }

    /// <summary>Where the ledger table's schema stands (0 before it is created).</summary>
    public async Task<StoreSchema> GetSchemaAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var counter = await _table.GetEntityIfExistsAsync<TableEntity>(AzureNames.Control, AzureNames.Counter, cancellationToken: cancellationToken);
            return new StoreSchema(counter.HasValue ? counter.Value!.GetInt32("Schema") ?? 1 : 0, SchemaVersion);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return new StoreSchema(0, SchemaVersion);
        }
    }

    /// <summary>The migrations applied to the ledger table, in order (number and name), as their records say.</summary>
    internal async Task<IReadOnlyList<(int Number, string Name)>> AppliedMigrationsAsync(CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {AzureNames.Control} and RowKey ge {"schema|"} and RowKey lt {"schema|\uffff"}");
        var list = new List<(int, string)>();
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken)) list.Add((e.GetInt32("Number")!.Value, e.GetString("Name")));
        return [.. list.OrderBy(m => m.Item1)];
    }

    /// <summary>Deletes the table and the container (tests).</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        await _table.DeleteAsync(cancellationToken);
        await _blobs.DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }
}
