namespace BaiQianWan.Assess.Rules.Model;

/// <summary>
/// An indicator's scoring method and its parameters (spec 2.1). Defaults are already applied. Each method's record lives
/// with its reader, scorer and explanation in rules/Methods/&lt;Method&gt;.cs.
/// </summary>
public abstract record ScoringMethod
{
    private protected ScoringMethod()
    {
    }

    /// <summary>The method's name as written in YAML.</summary>
    public abstract string Name { get; }

    /// <summary>The metric the method reads.</summary>
    public abstract Metric Metric { get; }
}
