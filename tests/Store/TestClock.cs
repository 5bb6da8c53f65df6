namespace BaiQianWan.Assess.Tests.Store;

/// <summary>A clock that moves one second each time it is read, from a fixed start, so every stored time is known.</summary>
internal sealed class TestClock : TimeProvider
{
    private DateTimeOffset _now = new(2025, 10, 8, 9, 0, 0, TimeSpan.FromHours(8));

    public static readonly DateTimeOffset Start = new(2025, 10, 8, 9, 0, 0, TimeSpan.FromHours(8));

    /// <summary>Moves the clock on (a lease running out, a long render).</summary>
    public void Advance(TimeSpan by) => _now = _now.Add(by);

    public override DateTimeOffset GetUtcNow()
    {
        var now = _now;
        _now = _now.AddSeconds(1);
        return now.ToUniversalTime();
    }
}
