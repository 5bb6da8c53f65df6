using Azure;
using Azure.Data.Tables;

namespace BaiQianWan.Assess.Store.Azure;

/// <summary>
/// Accounts in an Azure table (<c>{prefix}accounts</c>, one entity per account, partition <c>account</c>, row key the
/// name), written with the Azure SDK (<c>Azure.Data.Tables</c>). Changes are read–modify–write with the entity's
/// ETag and retried on a 412, so concurrent failed sign-ins are all counted.
/// </summary>
public sealed class AzureAccountStore : IAccountStore
{
    private const string Partition = "account";
    private const int MaxAttempts = 10;

    private readonly TableClient _table;

    /// <summary>
    /// Uses a storage connection string (e.g. <c>UseDevelopmentStorage=true</c>) or an account URL (managed identity), as
    /// the assessment store does, and a table name prefix.
    /// </summary>
    /// <param name="connection">The storage account's connection string or URL.</param>
    /// <param name="prefix">Letters and digits, starting with a letter (the assessment store's prefix).</param>
    public AzureAccountStore(string connection, string prefix = "bqw")
        : this(AzureStorageAccount.Parse(connection), prefix)
    {
    }

    /// <summary>Uses a storage account (its table endpoint).</summary>
    public AzureAccountStore(AzureStorageAccount account, string prefix = "bqw")
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        if (!char.IsAsciiLetter(prefix[0]) || !prefix.All(char.IsAsciiLetterOrDigit))
            throw new ArgumentException("表名前缀只能用字母和数字，并以字母开头", nameof(prefix));
        TableName = prefix + "accounts";
        _table = account.Table(TableName);
    }

    /// <summary>The table's name.</summary>
    public string TableName { get; }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default) =>
        await _table.CreateIfNotExistsAsync(cancellationToken);

    /// <summary>Deletes the table (tests).</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken = default) => await _table.DeleteAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<Account> CreateAsync(Account account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        account = account with { Name = AccountNames.Normalize(account.Name) };
        AccountNames.Check(account);
        try
        {
            await _table.AddEntityAsync(ToEntity(account), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            throw new StoreException(StoreError.Conflict, $"登录名 {account.Name} 已被使用");
        }
        return account;
    }

    /// <inheritdoc />
    public async Task<Account?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = AccountNames.Normalize(name);
        if (AccountNames.Problem(key) is not null) return null; // not a valid row key either
        var found = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, key, cancellationToken: cancellationToken);
        return found.HasValue ? FromEntity(found.Value!) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<Account>();
        await foreach (var e in _table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken))
            list.Add(FromEntity(e));
        list.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return list;
    }

    /// <inheritdoc />
    public Task<Account> SetEnabledAsync(string name, bool enabled, CancellationToken cancellationToken = default) =>
        ChangeAsync(name, a => a with { Enabled = enabled }, cancellationToken);

    /// <inheritdoc />
    public Task<Account> SetPasswordAsync(string name, string passwordHash, bool mustChange, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(passwordHash);
        return ChangeAsync(name, a => AccountChanges.Password(a, passwordHash, mustChange), cancellationToken);
    }

    /// <inheritdoc />
    public Task<Account> RecordFailedSignInAsync(string name, DateTimeOffset at, int lockAfter, TimeSpan lockFor, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lockAfter, 1);
        return ChangeAsync(name, a => AccountChanges.Failed(a, at, lockAfter, lockFor), cancellationToken);
    }

    /// <inheritdoc />
    public Task<Account> RecordSignInAsync(string name, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ChangeAsync(name, a => AccountChanges.SignedIn(a, at), cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<Account> ChangeAsync(string name, Func<Account, Account> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = AccountNames.Normalize(name);
        for (var attempt = 1; ; attempt++)
        {
            var found = AccountNames.Problem(key) is null
                ? await _table.GetEntityIfExistsAsync<TableEntity>(Partition, key, cancellationToken: cancellationToken)
                : null;
            if (found is null || !found.HasValue) throw new StoreException(StoreError.NotFound, $"没有账户 {key}");
            var changed = change(FromEntity(found.Value!));
            try
            {
                await _table.UpdateEntityAsync(ToEntity(changed), found.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                return changed;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < MaxAttempts)
            {
                // Someone changed it in between (another sign-in): read again and reapply.
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                throw new StoreException(StoreError.Concurrency, $"账户 {key} 正被频繁修改，请稍后再试");
            }
        }
    }

    private static TableEntity ToEntity(Account a) => new(Partition, a.Name)
    {
        ["DisplayName"] = a.DisplayName,
        ["Role"] = a.Role.ToClaim(),
        ["UnitCode"] = a.UnitCode,
        ["Enabled"] = a.Enabled,
        ["PasswordHash"] = a.PasswordHash,
        ["MustChangePassword"] = a.MustChangePassword,
        ["FailedSignIns"] = a.FailedSignIns,
        ["LockedUntil"] = a.LockedUntil?.ToUniversalTime(),
        ["CreatedAt"] = a.CreatedAt.ToUniversalTime(),
        ["LastSignInAt"] = a.LastSignInAt?.ToUniversalTime(),
    };

    private static Account FromEntity(TableEntity e)
    {
        AccountRoles.TryParse(e.GetString("Role"), out var role);
        return new Account(e.RowKey, e.GetString("DisplayName") ?? e.RowKey, role, e.GetString("UnitCode"), e.GetBoolean("Enabled") ?? false,
            e.GetString("PasswordHash") ?? "", e.GetBoolean("MustChangePassword") ?? false, e.GetInt32("FailedSignIns") ?? 0,
            e.GetDateTimeOffset("LockedUntil"), e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.UnixEpoch, e.GetDateTimeOffset("LastSignInAt"));
    }
}
