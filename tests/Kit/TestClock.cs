namespace BaiQianWan.Assess.Tests.Kit;

/// <summary>
/// The tests' one clock. <c>new TestClock()</c> starts at <see cref="Start"/> and moves one second each time it is read,
/// so every stored time is known and in order; <c>new TestClock(now)</c> stands still at the instant given until a
/// test sets <see cref="Now"/> or calls <see cref="Advance"/> (a lease running out, a session expiring).
/// </summary>
public sealed class TestClock : TimeProvider
{
    /// <summary>Where <c>new TestClock()</c> starts: 2025-10-08 09:00 Beijing time.</summary>
    public static readonly DateTimeOffset Start = new(2025, 10, 8, 9, 0, 0, TimeSpan.FromHours(8));

    private readonly Lock _lock = new();
    private readonly TimeSpan _tick;
    private DateTimeOffset _now;

    /// <summary>From <see cref="Start"/>, one second further on each read.</summary>
    public TestClock() : this(Start, TimeSpan.FromSeconds(1)) { }

    /// <summary>At <paramref name="now"/>, moving <paramref name="tick"/> on each read (default: standing still).</summary>
    public TestClock(DateTimeOffset now, TimeSpan tick = default) => (_now, _tick) = (now, tick);

    /// <summary>The instant the next read returns (in the offset it was given).</summary>
    public DateTimeOffset Now
    {
        get { lock (_lock) return _now; }
        set { lock (_lock) _now = value; }
    }

    /// <summary>Moves the clock on.</summary>
    public void Advance(TimeSpan by)
    {
        lock (_lock) _now = _now.Add(by);
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            var now = _now;
            _now = _now.Add(_tick);
            return now.ToUniversalTime();
        }
    }
}
