namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>A clock that stands still at a given instant, moving only when told to.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
}
