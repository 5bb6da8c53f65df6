using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Azure;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>
/// Issue 19 item 6 on Azure: the start's write probe (an entity of its own partition and a blob) passes on a store
/// that takes writes, and one whose credentials do not let it write is refused in one line naming the table and container.
/// </summary>
[Collection(AzuriteCollection.Name)]
[Trait("Cost", "Slow")]
public sealed class AzureStoreCheckTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_write_probe_passes_on_a_writable_store_and_refuses_one_it_cannot_write_to()
    {
        var prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        var store = new AzureAssessStore(azurite.ConnectionString, prefix);
        await store.InitializeAsync();
        try
        {
            await store.CheckAsync();
            var account = AzureStorageAccount.Parse(azurite.ConnectionString);
            Assert.True((await account.Container(store.ContainerName).GetBlobClient("probe/start").ExistsAsync()).Value);
            Assert.True((await account.Table(store.TableName).GetEntityIfExistsAsync<global::Azure.Data.Tables.TableEntity>("probe", "start")).HasValue);

            // The same account and names with a key that is not the account's: every write is refused (HTTP 403).
            var wrongKey = Convert.ToBase64String(new byte[64]);
            var refused = new AzureAssessStore(System.Text.RegularExpressions.Regex.Replace(azurite.ConnectionString, "AccountKey=[^;]+", "AccountKey=" + wrongKey), prefix);
            var e = await Assert.ThrowsAsync<StoreException>(() => refused.CheckAsync());
            Assert.StartsWith($"Azure 存储（表 {store.TableName}，容器 {store.ContainerName}）无法写入（HTTP 403 ", e.Message);
            Assert.EndsWith("），请检查连接、账户权限和存储状态", e.Message);
            Assert.Equal(StoreError.Conflict, e.Error);
        }
        finally
        {
            await store.DeleteAsync();
        }
    }
}
