using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Methods;

/// <summary>
/// One scoring method (spec 2.1). A method is one file of rules/Methods/: its parameters (a <see cref="ScoringMethod"/>
/// record), this kind (its YAML name, keys, reader and defaults, scorer), the scorer and its explanation; and one line
/// in <see cref="ScoringMethods.All"/>.
/// </summary>
internal interface IScoringMethodKind
{
    /// <summary>The method's name as written in YAML (<c>method: completion</c>); <see cref="ScoringMethod.Name"/> of its record.</summary>
    string Name { get; }

    /// <summary>The method's own keys, besides the keys every indicator has.</summary>
    ImmutableArray<string> Keys { get; }

    /// <summary>Reads the method's keys with their defaults; null after an error (reported at its node).</summary>
    ScoringMethod? Read(MethodSite site);

    /// <summary>The scorer of an indicator with this method (its <see cref="Indicator.Method"/> is this kind's record).</summary>
    IndicatorScorer CreateScorer(Indicator indicator, int decimals);
}

/// <summary>Where a method is read: the reader's helpers, the indicator's mapping, its name for messages, its <c>method</c> node and direction.</summary>
/// <param name="Reader">Reads and checks values, reporting at their nodes.</param>
/// <param name="Map">The indicator's mapping.</param>
/// <param name="What">指标 'x', for messages.</param>
/// <param name="MethodNode">The value of <c>method</c>.</param>
/// <param name="Better">The indicator's direction (higher when it is in error).</param>
internal readonly record struct MethodSite(IMethodReader Reader, YamlMapping Map, string What, YamlNode MethodNode, Better Better);

/// <summary>The scoring methods, in the order messages list them.</summary>
internal static class ScoringMethods
{
    public static readonly ImmutableArray<IScoringMethodKind> All =
        [new Completion(), new Bands(), new Rank(), new Efficacy(), new Increment(), new Formula(), new Steps()];

    /// <summary>Every method's keys (for "the method does not use this key" rather than "unknown key").</summary>
    public static readonly ImmutableArray<string> AllKeys = [.. All.SelectMany(m => m.Keys).Distinct()];

    /// <summary>The method of a YAML name (exact spelling), or null.</summary>
    public static IScoringMethodKind? Find(string name)
    {
        foreach (var method in All)
            if (string.Equals(method.Name, name, StringComparison.Ordinal)) return method;
        return null;
    }

    /// <summary>The kind of a read method; a record no kind claims is an error.</summary>
    public static IScoringMethodKind Of(ScoringMethod method) =>
        Find(method.Name) ?? throw new InvalidOperationException($"Unknown method {method.Name}");
}
