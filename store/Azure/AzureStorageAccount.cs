using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace BaiQianWan.Assess.Store.Azure;

/// <summary>
/// A storage account as configured by <c>Store:Connection</c>: a connection string (an account key, a SAS, or
/// <c>UseDevelopmentStorage=true</c> for Azurite), or, hosted, an account URL such as
/// <c>https://NAME.blob.core.windows.net</c> used with <see cref="DefaultAzureCredential"/> (managed identity);
/// the table and queue endpoints follow from it. Retries and timeouts are the SDK clients' own
/// (<see cref="ConfigureRetries"/>): the store and the queue sender never retry a failed request themselves.
/// </summary>
public sealed class AzureStorageAccount
{
    private static readonly string[] Services = ["blob", "table", "queue"];
    private readonly string? _connectionString;
    private readonly (Uri Blob, Uri Table, Uri Queue)? _endpoints;
    private readonly Lazy<TokenCredential>? _credential;

    private AzureStorageAccount(string? connectionString, (Uri, Uri, Uri)? endpoints, TokenCredential? credential)
    {
        _connectionString = connectionString;
        _endpoints = endpoints;
        if (endpoints is not null) _credential = new Lazy<TokenCredential>(() => credential ?? new DefaultAzureCredential());
    }

    /// <summary>Reads a connection string or an account URL; throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    /// <param name="connection">The connection string or the <c>https://</c> URL of one of the account's services.</param>
    /// <param name="credential">With an account URL, the credential to use instead of <see cref="DefaultAzureCredential"/>.</param>
    public static AzureStorageAccount Parse(string connection, TokenCredential? credential = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connection);
        connection = connection.Trim();
        if (!Uri.TryCreate(connection, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            if (!connection.Contains('=', StringComparison.Ordinal))
                throw new ArgumentException($"存储连接既不是连接字符串也不是账户网址：{connection}", nameof(connection));
            return new AzureStorageAccount(connection, null, null);
        }
        // https://NAME.blob.core.windows.net (or .table. / .queue.): the other endpoints differ only in that label.
        var labels = url.Host.Split('.');
        if (labels.Length < 3 || Array.IndexOf(Services, labels[1].ToLowerInvariant()) < 0)
            throw new ArgumentException($"账户网址应形如 https://账户名.blob.core.windows.net：{connection}", nameof(connection));
        Uri Endpoint(string service)
        {
            var host = string.Join('.', [labels[0], service, .. labels[2..]]);
            return new UriBuilder(url.Scheme, host, url.IsDefaultPort ? -1 : url.Port).Uri;
        }
        return new AzureStorageAccount(null, (Endpoint("blob"), Endpoint("table"), Endpoint("queue")), credential);
    }

    /// <summary>True when the account is reached with a credential rather than a connection string.</summary>
    public bool UsesCredential => _endpoints is not null;

    /// <summary>The account's endpoints when it was given as a URL (for messages), else null.</summary>
    public (Uri Blob, Uri Table, Uri Queue)? Endpoints => _endpoints;

    /// <summary>A client of one table.</summary>
    public TableClient Table(string tableName)
    {
        var options = ConfigureRetries(new TableClientOptions());
        return _endpoints is { } e ? new TableClient(e.Table, tableName, _credential!.Value, options) : new TableClient(_connectionString, tableName, options);
    }

    /// <summary>A client of one blob container.</summary>
    public BlobContainerClient Container(string containerName)
    {
        var options = ConfigureRetries(new BlobClientOptions());
        return _endpoints is { } e
            ? new BlobContainerClient(new Uri(e.Blob, containerName), _credential!.Value, options)
            : new BlobContainerClient(_connectionString, containerName, options);
    }

    /// <summary>
    /// A client of one queue. Messages are base64 text by default, the encoding the Functions queue trigger expects.
    /// </summary>
    public QueueClient Queue(string queueName, QueueMessageEncoding encoding = QueueMessageEncoding.Base64)
    {
        var options = ConfigureRetries(new QueueClientOptions { MessageEncoding = encoding });
        return _endpoints is { } e
            ? new QueueClient(new Uri(e.Queue, queueName), _credential!.Value, options)
            : new QueueClient(_connectionString, queueName, options);
    }

    /// <summary>
    /// The retry and timeout policy of every client: up to 5 retries of transient failures (timeouts, 408, 429,
    /// 500, 502–504) with exponential back-off from 0.5 s to 10 s, and 100 s per request attempt.
    /// </summary>
    public static T ConfigureRetries<T>(T options) where T : ClientOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 5;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(10);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(100);
        return options;
    }
}
