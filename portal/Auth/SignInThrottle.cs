using System.Net;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Portal.Auth;

/// <summary>
/// Slows down password guessing before the account lockout can be used to lock people out: failed sign-ins are
/// counted per client address and per account name over sliding windows, and an attempt over either limit is refused
/// with the time to wait, before any account is read or any password checked (so it neither counts toward a lockout nor
/// tells whether the name exists). Attempts are counted when they start and forgotten when they succeed, so a burst of
/// parallel requests cannot slip past the limit. Kept in memory, per server instance; times come from the clock.
/// </summary>
/// <remarks>
/// With the defaults (<see cref="SignInLimits.Default"/>) one name takes at most 3 failures per 5 minutes from anywhere,
/// so a burst cannot reach the 5 failures that lock an account; one address takes at most 10 failures per 15 minutes,
/// whatever names it tries.
/// </remarks>
public sealed class SignInThrottle
{
    // Past this many keys, expired ones are dropped on the next attempt (random names must not grow memory for ever); the
    // mark then moves to twice what is left, so a flood of live keys is not swept on every attempt.
    private const int PruneAbove = 10_000;
    private int _pruneAt = PruneAbove;

    private readonly TimeProvider _clock;
    private readonly SignInLimits _limits;
    private readonly Dictionary<string, List<DateTimeOffset>> _failures = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Creates a throttle with <paramref name="limits"/> (default <see cref="SignInLimits.Default"/>).</summary>
    public SignInThrottle(TimeProvider clock, SignInLimits? limits = null)
    {
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _limits = limits ?? SignInLimits.Default;
    }

    /// <summary>How many names and addresses are tracked (tests: memory stays bounded).</summary>
    internal int Tracked
    {
        get
        {
            lock (_lock) return _failures.Count;
        }
    }

    /// <summary>The limits applied.</summary>
    public SignInLimits Limits => _limits;

    /// <summary>
    /// Starts an attempt by <paramref name="address"/> (null when unknown: only the name is limited) for
    /// <paramref name="name"/>: a ticket to pass to <see cref="Succeeded"/> if it succeeds, or, when a limit is reached, how
    /// long to wait (whole seconds, at least one).
    /// </summary>
    public (SignInTicket? Ticket, TimeSpan RetryAfter) TryStart(string? address, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var now = _clock.GetUtcNow();
        var nameKey = NameKey(name);
        var addressKey = address is null ? null : AddressKey(address);
        lock (_lock)
        {
            if (_failures.Count > _pruneAt)
            {
                Prune(now);
                _pruneAt = Math.Max(PruneAbove, _failures.Count * 2);
            }
            var wait = Wait(nameKey, _limits.PerName, _limits.NameWindow, now);
            if (addressKey is not null) wait = Max(wait, Wait(addressKey, _limits.PerAddress, _limits.AddressWindow, now));
            if (wait > TimeSpan.Zero) return (null, TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(wait.TotalSeconds))));
            Add(nameKey, now);
            if (addressKey is not null) Add(addressKey, now);
            return (new SignInTicket(nameKey, addressKey, now), TimeSpan.Zero);
        }
    }

    /// <summary>The attempt succeeded: it is not counted as a failure.</summary>
    public void Succeeded(SignInTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        lock (_lock)
        {
            Remove(ticket.NameKey, ticket.At);
            if (ticket.AddressKey is not null) Remove(ticket.AddressKey, ticket.At);
        }
    }

    /// <summary>
    /// The key of a client address: IPv4 (and IPv4-mapped IPv6) as is, IPv6 by its /64 network (what one subscriber
    /// usually holds), anything unparsable as its text.
    /// </summary>
    public static string AddressKey(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!IPAddress.TryParse(address.Trim(), out var ip)) return "a:" + Cap(address.Trim());
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        if (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            var bytes = ip.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return "a:" + new IPAddress(bytes) + "/64";
        }
        return "a:" + ip;
    }

    private static string NameKey(string name) => "n:" + Cap(AccountNames.Normalize(name));

    // Longer than any valid name: the rest cannot make a different account, only a different key.
    private static string Cap(string text) => text.Length <= AccountNames.MaxLength + 1 ? text : text[..(AccountNames.MaxLength + 1)];

    private TimeSpan Wait(string key, int limit, TimeSpan window, DateTimeOffset now)
    {
        if (!_failures.TryGetValue(key, out var list)) return TimeSpan.Zero;
        list.RemoveAll(t => t <= now - window);
        if (list.Count < limit) return TimeSpan.Zero;
        // The oldest failures leave the window one by one: wait until enough have left for one more attempt.
        return list[list.Count - limit] + window - now;
    }

    private void Add(string key, DateTimeOffset at)
    {
        if (!_failures.TryGetValue(key, out var list)) _failures[key] = list = [];
        list.Add(at);
    }

    private void Remove(string key, DateTimeOffset at)
    {
        if (_failures.TryGetValue(key, out var list) && list.Remove(at) && list.Count == 0) _failures.Remove(key);
    }

    private void Prune(DateTimeOffset now)
    {
        var longest = Max(_limits.NameWindow, _limits.AddressWindow);
        foreach (var (key, list) in _failures.ToList())
        {
            list.RemoveAll(t => t <= now - longest);
            if (list.Count == 0) _failures.Remove(key);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

/// <summary>An attempt the throttle let through, to forget if it succeeds.</summary>
/// <param name="NameKey">The name's key.</param>
/// <param name="AddressKey">The address's key, or null.</param>
/// <param name="At">When it started.</param>
public sealed record SignInTicket(string NameKey, string? AddressKey, DateTimeOffset At);

/// <summary>How many failed sign-ins are let through, per account name and per client address, within each window.</summary>
/// <param name="PerName">Failures per name (from any address) within <paramref name="NameWindow"/>.</param>
/// <param name="NameWindow">The name's window.</param>
/// <param name="PerAddress">Failures per client address (for any names) within <paramref name="AddressWindow"/>.</param>
/// <param name="AddressWindow">The address's window.</param>
public sealed record SignInLimits(int PerName, TimeSpan NameWindow, int PerAddress, TimeSpan AddressWindow)
{
    /// <summary>
    /// 3 failures per name in 5 minutes (fewer than the <see cref="SignInService.LockAfter"/> that lock it), 10 per address
    /// in 15 minutes.
    /// </summary>
    public static readonly SignInLimits Default = new(3, TimeSpan.FromMinutes(5), 10, TimeSpan.FromMinutes(15));
}
