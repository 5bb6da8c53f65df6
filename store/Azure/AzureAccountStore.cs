using Azure;
using Azure.Data.Tables;

namespace BaiQianWan.Assess.Store.Azure;

/// <summary>
/// Accounts in the assessment store's table (<c>{prefix}assess</c>), one entity per account in its control partition
/// (row key <c>account|{name}</c>), written with the Azure SDK (<c>Azure.Data.Tables</c>). They live there so an audited
/// change is one entity group transaction with its audit entry, as the assessment store's changes are: the account, the
/// audit entry and the counter (replaced with its ETag, so entries are numbered without gaps) are written together or not
/// at all. Changes are read–modify–write with the entity's ETag and retried on a 412, so concurrent failed sign-ins are
/// all counted; a failure that does not lock and a sign-in touch the account's entity only.
/// </summary>
public sealed class AzureAccountStore : AccountStore
{
    private const string RowPrefix = "account|";
    private const int MaxAttempts = 20;

    private readonly AzureStorageAccount _account;
    private readonly string _prefix;
    private readonly TableClient _table;

    /// <summary>
    /// Uses a storage connection string (e.g. <c>UseDevelopmentStorage=true</c>) or an account URL (managed identity), as
    /// the assessment store does, and its table name prefix.
    /// </summary>
    /// <param name="connection">The storage account's connection string or URL.</param>
    /// <param name="prefix">Letters and digits, starting with a letter (the assessment store's prefix).</param>
    public AzureAccountStore(string connection, string prefix = "bqw")
        : this(AzureStorageAccount.Parse(connection), prefix)
    {
    }

    /// <summary>Uses a storage account (its table endpoint) and the assessment store's prefix.</summary>
    public AzureAccountStore(AzureStorageAccount account, string prefix = "bqw")
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        if (!char.IsAsciiLetter(prefix[0]) || !prefix.All(char.IsAsciiLetterOrDigit))
            throw new ArgumentException("表名前缀只能用字母和数字，并以字母开头", nameof(prefix));
        _account = account;
        _prefix = prefix;
        TableName = prefix + "assess";
        _table = account.Table(TableName);
    }

    /// <summary>The table's name.</summary>
    public string TableName { get; }

    /// <inheritdoc />
    public override async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        // The table, its counter and the audit log are the assessment store's.
        await using var assess = new AzureAssessStore(_account, _prefix);
        await assess.InitializeAsync(cancellationToken);
    }

    /// <summary>Deletes the assessment store's table and container, accounts with them (tests).</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        await using var assess = new AzureAssessStore(_account, _prefix);
        await assess.DeleteAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task<Account> CreateAsync(Account account, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        account = account with { Name = AccountNames.Normalize(account.Name) };
        AccountNames.Check(account);
        var audit = AccountChanges.Created(account, actor);
        for (var attempt = 1; ; attempt++)
        {
            if (await FindAsync(account.Name, cancellationToken) is not null) throw new StoreException(StoreError.Conflict, $"登录名 {account.Name} 已被使用");
            if (await TryAuditedAsync(new TableTransactionAction(TableTransactionActionType.Add, ToEntity(account)), account.Name, audit, attempt, cancellationToken))
                return account;
        }
    }

    /// <inheritdoc />
    public override async Task<Account?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var found = await FindAsync(AccountNames.Normalize(name), cancellationToken);
        return found is null ? null : FromEntity(found);
    }

    /// <inheritdoc />
    public override async Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<Account>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {AzureNames.Control} and RowKey ge {RowPrefix} and RowKey lt {RowPrefix + "\uffff"}");
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            list.Add(FromEntity(e));
        list.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return list;
    }

    /// <inheritdoc />
    private protected override async Task<Account> ChangeAsync(string name, Func<Account, Account> change, Func<Account, Account, AccountAudit?> audit,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = AccountNames.Normalize(name);
        for (var attempt = 1; ; attempt++)
        {
            var found = await FindAsync(key, cancellationToken) ?? throw new StoreException(StoreError.NotFound, $"没有账户 {key}");
            var current = FromEntity(found);
            var changed = change(current);
            var replace = new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(changed), found.ETag);
            // Taking an office out of service: another active office must exist, read after the counter and written with its
            // ETag, so two offices disabling each other at once cannot both pass (every such change is audited: it moves the counter).
            Func<CancellationToken, Task>? guard = AccountChanges.RemovesAnOffice(current, changed) ? ct => KeepAnOfficeAsync(key, ct) : null;
            if (audit(current, changed) is { } entry)
            {
                if (await TryAuditedAsync(replace, key, entry, attempt, cancellationToken, guard)) return changed;
                continue;
            }
            if (guard is not null) throw new InvalidOperationException("a change that takes an office out of service must be audited");
            try
            {
                await _table.UpdateEntityAsync(ToEntity(changed), found.ETag, TableUpdateMode.Replace, cancellationToken);
                return changed;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // Someone changed it in between (another sign-in): read again and reapply.
                if (attempt >= MaxAttempts) throw Busy(key);
            }
        }
    }

    /// <summary>
    /// Writes the account action with its audit entry and the counter in one transaction; false when another writer
    /// changed the account or the counter first (then the caller reads again and retries).
    /// </summary>
    private async Task<bool> TryAuditedAsync(TableTransactionAction write, string name, AccountAudit entry, int attempt, CancellationToken cancellationToken,
        Func<CancellationToken, Task>? guard = null)
    {
        var counter = await _table.GetEntityIfExistsAsync<TableEntity>(AzureNames.Control, AzureNames.Counter, cancellationToken: cancellationToken);
        if (!counter.HasValue) throw new StoreException(StoreError.NotFound, "存储尚未初始化（请先运行 init）");
        if (guard is not null) await guard(cancellationToken);
        var audit = AzureAssessStore.AuditRow(counter.Value!, entry.At, entry.Actor, entry.Action, name, entry.Detail);
        try
        {
            await _table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpdateReplace, counter.Value!, counter.Value!.ETag),
                new TableTransactionAction(TableTransactionActionType.Add, audit),
                write,
            ], cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 409 && attempt < MaxAttempts)
        {
            await Task.Delay(Random.Shared.Next(5, 20 * attempt), cancellationToken);
            return false;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 409)
        {
            throw Busy(name);
        }
    }

    /// <summary>Refuses (conflict) unless an active office other than <paramref name="name"/> exists.</summary>
    private async Task KeepAnOfficeAsync(string name, CancellationToken cancellationToken)
    {
        if (!(await ListAsync(cancellationToken)).Any(a => a.Name != name && AccountChanges.IsActiveOffice(a))) throw AccountChanges.LastOffice(name);
    }

    private static StoreException Busy(string name) => new(StoreError.Concurrency, $"账户 {name} 正被频繁修改，请稍后再试");

    private async Task<TableEntity?> FindAsync(string name, CancellationToken cancellationToken)
    {
        if (AccountNames.Problem(name) is not null) return null; // not a valid name, so no account
        var found = await _table.GetEntityIfExistsAsync<TableEntity>(AzureNames.Control, RowPrefix + name, cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    private static TableEntity ToEntity(Account a) => new(AzureNames.Control, RowPrefix + a.Name)
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
        ["SessionEpoch"] = a.SessionEpoch,
    };

    private static Account FromEntity(TableEntity e)
    {
        AccountRoles.TryParse(e.GetString("Role"), out var role);
        var name = e.RowKey[RowPrefix.Length..];
        return new Account(name, e.GetString("DisplayName") ?? name, role, e.GetString("UnitCode"), e.GetBoolean("Enabled") ?? false,
            e.GetString("PasswordHash") ?? "", e.GetBoolean("MustChangePassword") ?? false, e.GetInt32("FailedSignIns") ?? 0,
            e.GetDateTimeOffset("LockedUntil"), e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.UnixEpoch, e.GetDateTimeOffset("LastSignInAt"),
            e.GetInt64("SessionEpoch") ?? 0);
    }
}
