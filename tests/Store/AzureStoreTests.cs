using BaiQianWan.Assess.Store;
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
public sealed class AzureStoreContractTests(AzuriteFixture azurite) : StoreContractTests
{
    protected override async Task<IAssessStore> CreateStoreAsync() => await AzureTestStores.CreateAsync(azurite);

    protected override Task CleanupAsync() => ((AzureAssessStore)Store).DeleteAsync();
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureWorkflowContractTests(AzuriteFixture azurite) : WorkflowContractTests
{
    protected override async Task<IAssessStore> CreateStoreAsync() => await AzureTestStores.CreateAsync(azurite);

    protected override Task CleanupAsync() => ((AzureAssessStore)Store).DeleteAsync();
}
