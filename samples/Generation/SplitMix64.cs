namespace BaiQianWan.Assess.Samples.Generation;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny generator whose every output is fixed by its
/// published algorithm, so a seed gives the same province on every machine and runtime.
/// <see cref="Random"/> is not used because its algorithm may change between .NET versions.
/// </summary>
internal sealed class SplitMix64
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    private ulong _state;

    /// <summary>A generator starting from a raw 64-bit state.</summary>
    public SplitMix64(ulong state) => _state = state;

    /// <summary>
    /// A generator keyed by the seed and any number of strings (unit code, indicator id…), so each
    /// series has its own stream and does not shift when other series are added or reordered.
    /// </summary>
    public static SplitMix64 For(int seed, params ReadOnlySpan<string> keys)
    {
        var state = Mix(unchecked((ulong)seed) + Golden);
        foreach (var key in keys)
            state = Mix(state ^ Fnv1a(key));
        return new SplitMix64(state);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        _state = unchecked(_state + Golden);
        return Mix(_state);
    }

    /// <summary>A uniform integer in [0, n).</summary>
    public int Below(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        // Multiply-high maps 64 bits onto [0, n) with a bias far below anything a sample can show.
        return (int)Math.BigMul(Next(), (ulong)n, out _);
    }

    /// <summary>A uniform integer in [lo, hi], both included.</summary>
    public int Between(int lo, int hi) => lo + Below(hi - lo + 1);

    /// <summary>True with the given chance, in thousandths.</summary>
    public bool Chance(int perThousand) => Below(1000) < perThousand;

    /// <summary>A uniform decimal in [lo, hi] on a grid of 1/10,000 of the range.</summary>
    public decimal Uniform(decimal lo, decimal hi) => lo + (hi - lo) * Below(10_001) / 10_000m;

    /// <summary>
    /// A triangular deviate in [−halfWidth, halfWidth]: the sum of two uniforms, so values near the
    /// centre are commoner than at the edges, as with real reporting noise.
    /// </summary>
    public decimal Spread(decimal halfWidth) => halfWidth * (Below(2_001) + Below(2_001) - 2_000) / 2_000m;

    private static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    // FNV-1a over UTF-16 code units: string.GetHashCode is randomised per process, this is not.
    private static ulong Fnv1a(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var c in text)
        {
            hash ^= c;
            hash = unchecked(hash * 0x100000001B3UL);
        }
        return hash;
    }
}
