using System.Collections.Immutable;

namespace BaiQianWan.Assess.Rules.Model;

/// <summary>
/// An indicator's weight: one number for every class, or a number per class. A class missing from a
/// per-class map does not carry the indicator at all.
/// </summary>
public sealed record Weight
{
    private Weight(decimal? uniform, ImmutableDictionary<string, decimal>? perClass)
    {
        Uniform = uniform;
        PerClass = perClass;
    }

    /// <summary>The weight for every class, when not per class.</summary>
    public decimal? Uniform { get; }

    /// <summary>The weight per class name, when given as a map.</summary>
    public ImmutableDictionary<string, decimal>? PerClass { get; }

    /// <summary>A weight that applies to every class.</summary>
    public static Weight For(decimal weight) => new(weight, null);

    /// <summary>A weight per class; classes left out do not carry the indicator.</summary>
    public static Weight ByClass(IEnumerable<KeyValuePair<string, decimal>> weights) =>
        new(null, weights.ToImmutableDictionary(StringComparer.Ordinal));

    /// <summary>The weight for a class, or false when the indicator does not apply to it.</summary>
    public bool TryGetFor(string className, out decimal weight)
    {
        if (Uniform is { } w)
        {
            weight = w;
            return true;
        }
        return PerClass!.TryGetValue(className, out weight);
    }
}
