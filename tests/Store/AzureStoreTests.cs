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
