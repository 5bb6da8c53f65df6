using System.Text;
using Azure.Data.Tables;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Azure;
using BaiQianWan.Assess.Store.Internal;
using BaiQianWan.Assess.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>The ruleset version contract on SQLite; an older store is a schema-1 file written with raw SQL, as the program before wrote it.</summary>
public sealed class SqliteRulesetVersionContractTests : RulesetVersionContractTests
{
    private readonly TempSqlite _file = new();
    private readonly TempSqlite _older = new();

    protected override async Task<IAssessStore> CreateStoreAsync() => await _file.OpenAsync();

    protected override async Task CleanupAsync()
    {
        await _file.DisposeAsync();
        await _older.DisposeAsync();
    }

    protected override async Task<IAssessStore> OpenOlderStoreAsync(IReadOnlyList<OldVersion> versions, IReadOnlyList<OldActivation> activations)
    {
        await using (var c = new SqliteConnection($"Data Source={_older.Path}"))
        {
            await c.OpenAsync();
            using var tx = c.BeginTransaction();
            void Exec(string sql, params (string Name, object Value)[] args)
            {
                using var cmd = c.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = sql;
                foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value);
                cmd.ExecuteNonQuery();
            }
            Exec(SqliteSchema.Migrations[0]);
            Exec("PRAGMA user_version = 1;");
            foreach (var v in versions)
            {
                var sha = RulesetLoader.Sha256Hex(v.Yaml);
                Exec("INSERT INTO ruleset_version (ruleset_id, version, sha256, yaml, author, created_at) VALUES ($id, $v, $sha, $yaml, $author, $at);",
                    ("$id", v.RulesetId), ("$v", v.Version), ("$sha", sha), ("$yaml", v.Yaml), ("$author", v.Author), ("$at", StoreText.Time(v.At)));
                Exec("INSERT INTO audit (at, actor, action, target, detail) VALUES ($at, $actor, 'ruleset.add', $target, $detail);",
                    ("$at", StoreText.Time(v.At)), ("$actor", v.Author), ("$target", $"{v.RulesetId}@{v.Version}"), ("$detail", $"sha256={sha}"));
            }
            foreach (var a in activations)
            {
                Exec("INSERT INTO ruleset_active (ruleset_id, version) VALUES ($id, $v) ON CONFLICT (ruleset_id) DO UPDATE SET version = excluded.version;",
                    ("$id", a.RulesetId), ("$v", a.Version));
                Exec("INSERT INTO audit (at, actor, action, target, detail) VALUES ($at, $actor, 'ruleset.activate', $target, 'sha256=-');",
                    ("$at", StoreText.Time(a.At)), ("$actor", a.Actor), ("$target", $"{a.RulesetId}@{a.Version}"));
            }
            tx.Commit();
        }
        SqliteConnection.ClearAllPools();
        return new SqliteAssessStore(_older.Path);
    }
}

/// <summary>The ruleset version contract on Azurite; an older store's entities are written with a raw <see cref="TableClient"/>, without the new properties.</summary>
[Collection(AzuriteCollection.Name)]
[Trait("Cost", "Slow")]
public sealed class AzureRulesetVersionContractTests(AzuriteFixture azurite) : RulesetVersionContractTests
{
    private readonly List<AzureAssessStore> _stores = [];

    protected override async Task<IAssessStore> CreateStoreAsync()
    {
        var store = await AzureTestStores.CreateAsync(azurite);
        _stores.Add(store);
        return store;
    }

    protected override async Task CleanupAsync()
    {
        foreach (var store in _stores) await store.DeleteAsync();
    }

    protected override async Task<IAssessStore> OpenOlderStoreAsync(IReadOnlyList<OldVersion> versions, IReadOnlyList<OldActivation> activations)
    {
        var store = (AzureAssessStore)await CreateStoreAsync();
        var account = AzureStorageAccount.Parse(azurite.ConnectionString);
        var table = account.Table(store.TableName);
        var container = account.Container(store.ContainerName);
        var counter = (await table.GetEntityAsync<TableEntity>(AzureNames.Control, AzureNames.Counter)).Value;
        var audit = counter.GetInt64("Audit")!.Value;
        var actions = new List<TableTransactionAction>();
        void Audit(DateTimeOffset at, string actor, string action, string target, string detail) =>
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(AzureNames.Control, AzureNames.Audit(++audit))
            {
                ["Sequence"] = audit,
                ["At"] = StoreText.Time(at),
                ["Actor"] = actor,
                ["Action"] = action,
                ["Target"] = target,
                ["Detail"] = detail,
            }));
        foreach (var v in versions)
        {
            var sha = RulesetLoader.Sha256Hex(v.Yaml);
            var blob = AzureNames.RulesetBlob(v.RulesetId, sha);
            await container.GetBlobClient(blob).UploadAsync(BinaryData.FromBytes(Encoding.UTF8.GetBytes(v.Yaml)));
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(AzureNames.Control, AzureNames.Ruleset(v.RulesetId, v.Version))
            {
                ["RulesetId"] = v.RulesetId,
                ["Version"] = v.Version,
                ["Sha256"] = sha,
                ["Blob"] = blob,
                ["Author"] = v.Author,
                ["CreatedAt"] = StoreText.Time(v.At),
            }));
            Audit(v.At, v.Author, "ruleset.add", $"{v.RulesetId}@{v.Version}", $"sha256={sha}");
        }
        foreach (var a in activations)
        {
            // The older pointer: its version only, one per id, written over by a later activation of the id.
            var pointer = new TableEntity(AzureNames.Control, AzureNames.ActiveRuleset(a.RulesetId)) { ["Version"] = a.Version };
            actions.RemoveAll(x => x.Entity.RowKey == pointer.RowKey);
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, pointer));
            Audit(a.At, a.Actor, "ruleset.activate", $"{a.RulesetId}@{a.Version}", "sha256=-");
        }
        counter["Audit"] = audit;
        // What the older program's counter says: the layout only, no migration since (a store this program made records them).
        counter["Schema"] = 2;
        actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, counter, counter.ETag));
        await table.SubmitTransactionAsync(actions);
        return new AzureAssessStore(azurite.ConnectionString, store.TableName[..^"assess".Length]);
    }
}
