using BaiQianWan.Assess.Functions.Hosting;
using BaiQianWan.Assess.Store.Azure;
using Microsoft.Extensions.Configuration;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>Which account the render queue client uses: the host's storage (key or managed identity), else the store's.</summary>
public sealed class QueueConnectionTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void A_managed_identity_host_gives_the_queue_endpoint_of_its_account()
    {
        var connection = StoreSetup.QueueConnection(Settings(("AzureWebJobsStorage:accountName", "bqwoffice"), ("Store:Kind", "azure"),
            ("Store:Connection", "https://bqwdata.blob.core.windows.net")));
        Assert.Equal("https://bqwoffice.queue.core.windows.net", connection);
        Assert.Equal("https://bqwoffice.queue.core.windows.net/render-batches", AzureStorageAccount.Parse(connection!).Queue("render-batches").Uri.ToString());
    }

    [Fact]
    public void A_connection_string_host_wins_and_without_a_host_the_store_account_is_used()
    {
        Assert.Equal("UseDevelopmentStorage=true", StoreSetup.QueueConnection(Settings(("AzureWebJobsStorage", "UseDevelopmentStorage=true"))));
        Assert.Equal("https://q.example.queue.core.windows.net/", StoreSetup.QueueConnection(Settings(("AzureWebJobsStorage:queueServiceUri", "https://q.example.queue.core.windows.net/"))));
        Assert.Equal("https://bqwdata.blob.core.windows.net", StoreSetup.QueueConnection(Settings(("Store:Kind", "azure"), ("Store:Connection", "https://bqwdata.blob.core.windows.net"))));
        Assert.Null(StoreSetup.QueueConnection(Settings(("Store:Kind", "sqlite"))));
    }
}
