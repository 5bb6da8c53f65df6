using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using System.Text.Json;
using Azure.Data.Tables;
using BaiQianWan.Assess.Store.Azure;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>An Azure store on Azurite with its own table and container per test, deleted afterwards.</summary>
internal static class AzureTestStores
{
    public static async Task<AzureAssessStore> CreateAsync(AzuriteFixture azurite)
    {
        var store = new AzureAssessStore(azurite.ConnectionString, "t" + Guid.NewGuid().ToString("N")[..12]);
        await store.InitializeAsync();
        return store;
    }
}

[Collection(AzuriteCollection.Name)]
[Trait("Cost", "Slow")]
public sealed class AzureStoreContractTests(AzuriteFixture azurite) : StoreContractTests
{
    protected override async Task<IAssessStore> CreateStoreAsync() => await AzureTestStores.CreateAsync(azurite);

    protected override Task CleanupAsync() => ((AzureAssessStore)Store).DeleteAsync();
}

[Collection(AzuriteCollection.Name)]
[Trait("Cost", "Slow")]
public sealed class AzureWorkflowContractTests(AzuriteFixture azurite) : WorkflowContractTests
{
    protected override async Task<IAssessStore> CreateStoreAsync() => await AzureTestStores.CreateAsync(azurite);

    protected override Task CleanupAsync() => ((AzureAssessStore)Store).DeleteAsync();
}

[Collection(AzuriteCollection.Name)]
[Trait("Cost", "Slow")]
public sealed class AzureSweepContractTests(AzuriteFixture azurite) : SweepContractTests
{
    private AzureAssessStore Azure => (AzureAssessStore)Store;

    protected override async Task<IAssessStore> CreateStoreAsync() => await AzureTestStores.CreateAsync(azurite);

    protected override Task CleanupAsync() => Azure.DeleteAsync();

    protected override bool KeepsSupersededData => true;

    /// <summary>Every figure in every observation blob of the container.</summary>
    protected override async Task<long> StoredObservationFiguresAsync()
    {
        var container = AzureStorageAccount.Parse(azurite.ConnectionString).Container(Azure.ContainerName);
        long figures = 0;
        await foreach (var blob in container.GetBlobsAsync(new global::Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = "observations/" }))
        {
            var content = (await container.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content;
            figures += JsonDocument.Parse(content.ToMemory()).RootElement.GetArrayLength();
        }
        return figures;
    }

    /// <summary>Result generations of a run: results blobs and unit-result partitions (each generation has both).</summary>
    protected override async Task<int> StoredResultSetsAsync(string runId)
    {
        var account = AzureStorageAccount.Parse(azurite.ConnectionString);
        var blobs = new HashSet<string>();
        await foreach (var blob in account.Container(Azure.ContainerName).GetBlobsAsync(new global::Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = $"runs/{runId}/results-" }))
            blobs.Add(blob.Name[$"runs/{runId}/results-".Length..^".json".Length]);
        var partitions = new HashSet<string>();
        var prefix = $"res|{runId}|";
        await foreach (var e in account.Table(Azure.TableName).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey ge {prefix} and PartitionKey lt {prefix + "~"}"), select: ["PartitionKey"]))
            partitions.Add(e.PartitionKey[prefix.Length..]);
        Assert.Equal(blobs.Order(), partitions.Order());
        return blobs.Count;
    }

    protected override void OnSweepDelete(Action<string>? hook) => Azure.AfterSweepDataDeleted = hook;
}

/// <summary>
/// The Azure store's serialized changes lose a race with an HTTP 412 and are built again: every attempt must check
/// again what the SQLite store checks inside its transaction.
/// </summary>
[Collection(AzuriteCollection.Name)]
[Trait("Cost", "Slow")]
public sealed class AzureImportRetryTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset T0 = new(2025, 7, 1, 8, 0, 0, TimeSpan.Zero);

    private static ImportSource Source(string fileName) => new(fileName, Mini.Bytes(fileName + Guid.NewGuid()), "office", T0);

    [Fact]
    public async Task An_observations_import_retried_after_a_concurrent_units_import_re_checks_the_units()
    {
        var store = await AzureTestStores.CreateAsync(azurite);
        // A second writer on the same table and container: another instance of the app.
        var other = new AzureAssessStore(azurite.ConnectionString, store.TableName[..^"assess".Length]);
        try
        {
            await store.ImportUnitsAsync(2025, [new Unit("A1", "甲一县", UnitLevel.County, null, "甲"), new Unit("B1", "乙一县", UnitLevel.County, null, "乙")],
                Source("units-1.csv"));
            var commits = 0;
            // Between this import's check of the units and its commit, the other writer drops B1 (its change moves the
            // counter on, so this commit fails with 412 and is built again).
            store.BeforeChangeCommitted = async () =>
            {
                if (++commits == 1)
                    await other.ImportUnitsAsync(2025, [new Unit("A1", "甲一县", UnitLevel.County, null, "甲")], Source("units-2.csv"));
            };
            var refused = await Assert.ThrowsAsync<StoreException>(() => store.ImportObservationsAsync(
                [new Observation("A1", "fai", Mini.Q2, 50m, 50m, null), new Observation("B1", "fai", Mini.Q2, 25m, 50m, null)],
                Source("observations.csv")));

            Assert.Equal(StoreError.Invalid, refused.Error);
            Assert.Equal("第 2 条：单位 'B1' 不在 2025 年的单位名单中", refused.Message);
            Assert.Equal(1, commits);
            Assert.Empty(await store.GetObservationsAsync(Mini.Q2));
            Assert.Equal(["units-2.csv", "units-1.csv"], (await store.ListImportsAsync()).Select(b => b.FileName).ToArray());
        }
        finally
        {
            store.BeforeChangeCommitted = null;
            await store.DeleteAsync();
        }
    }
}
