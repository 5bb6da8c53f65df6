using Azure.Storage.Queues;
using BaiQianWan.Assess.Store.Azure;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary><c>Store:Connection</c> as a connection string or, hosted, an account URL used with the managed identity.</summary>
public sealed class AzureStorageAccountTests
{
    [Fact]
    public void An_account_url_gives_the_three_endpoints_and_clients_that_use_a_credential()
    {
        var account = AzureStorageAccount.Parse("https://bqwoffice.table.core.windows.net/");

        Assert.True(account.UsesCredential);
        Assert.Equal(("https://bqwoffice.blob.core.windows.net/", "https://bqwoffice.table.core.windows.net/", "https://bqwoffice.queue.core.windows.net/"),
            (account.Endpoints!.Value.Blob.ToString(), account.Endpoints.Value.Table.ToString(), account.Endpoints.Value.Queue.ToString()));
        Assert.Equal("https://bqwoffice.blob.core.windows.net/bqw-assess", account.Container("bqw-assess").Uri.ToString());
        Assert.Equal("https://bqwoffice.queue.core.windows.net/render-batches", account.Queue("render-batches").Uri.ToString());
        Assert.Equal("bqwassess", account.Table("bqwassess").Name);
        var store = new AzureAssessStore(account, "bqw");
        Assert.Equal(("bqwassess", "bqw-assess"), (store.TableName, store.ContainerName));
    }

    [Fact]
    public void A_connection_string_is_used_as_it_is()
    {
        var account = AzureStorageAccount.Parse("UseDevelopmentStorage=true");

        Assert.False(account.UsesCredential);
        Assert.Null(account.Endpoints);
        Assert.Equal("devstoreaccount1", account.Container("bqw-assess").AccountName);
        Assert.Equal("render-batches", account.Queue("render-batches", QueueMessageEncoding.None).Name);
    }

    [Theory]
    [InlineData("not a connection", "既不是连接字符串也不是账户网址")]
    [InlineData("https://example.com/", "账户网址应形如 https://账户名.blob.core.windows.net")]
    public void Anything_else_is_refused_with_what_is_wrong(string connection, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => AzureStorageAccount.Parse(connection));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Clients_retry_transient_failures_with_back_off_and_a_timeout()
    {
        var options = AzureStorageAccount.ConfigureRetries(new QueueClientOptions());
        Assert.Equal((global::Azure.Core.RetryMode.Exponential, 5, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(100)),
            (options.Retry.Mode, options.Retry.MaxRetries, options.Retry.Delay, options.Retry.MaxDelay, options.Retry.NetworkTimeout));
    }
}
