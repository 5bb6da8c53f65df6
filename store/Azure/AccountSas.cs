using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Auth;

namespace BaiQianWan.Assess.Store.Azure;

/// <summary>
/// Turns an account given with its key into one that signs with an account SAS made from that key.
/// WindowsAzure.Storage's shared-key signing creates the en-US culture, which throws under the projects'
/// InvariantGlobalization; SAS requests carry no such signing. An account given with a SAS is used as it is.
/// </summary>
public static class AccountSas
{
    /// <summary>
    /// The account to make clients from, and when to make them again (half the SAS lifetime; never for an
    /// account that came with a SAS).
    /// </summary>
    /// <param name="account">The account as parsed from its connection string.</param>
    /// <param name="services">The services the clients will use.</param>
    /// <param name="lifetime">How long the SAS is valid.</param>
    /// <param name="now">The current time.</param>
    public static (CloudStorageAccount Account, DateTimeOffset Renew) Signed(CloudStorageAccount account, SharedAccessAccountServices services,
        TimeSpan lifetime, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (!account.Credentials.IsSharedKey) return (account, DateTimeOffset.MaxValue);
        var sas = account.GetSharedAccessSignature(new SharedAccessAccountPolicy
        {
            Permissions = SharedAccessAccountPermissions.Read | SharedAccessAccountPermissions.Write | SharedAccessAccountPermissions.Delete
                | SharedAccessAccountPermissions.List | SharedAccessAccountPermissions.Add | SharedAccessAccountPermissions.Create
                | SharedAccessAccountPermissions.Update | SharedAccessAccountPermissions.ProcessMessages,
            Services = services,
            ResourceTypes = SharedAccessAccountResourceTypes.Service | SharedAccessAccountResourceTypes.Container | SharedAccessAccountResourceTypes.Object,
            SharedAccessStartTime = now.AddMinutes(-15),
            SharedAccessExpiryTime = now + lifetime,
            Protocols = SharedAccessProtocol.HttpsOrHttp,
        });
        var signed = new CloudStorageAccount(new StorageCredentials(sas), account.BlobEndpoint, account.QueueEndpoint, account.TableEndpoint, account.FileEndpoint);
        return (signed, now + lifetime / 2);
    }
}
