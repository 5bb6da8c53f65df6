namespace BaiQianWan.Assess.Rules.Model;

/// <summary>The number a method reads for a unit (spec 2.1).</summary>
public enum Metric
{
    /// <summary>a / t, or max(0, 2 − a / t) when lower is better; always read higher-is-better.</summary>
    Completion,
    /// <summary>The actual value a.</summary>
    Value,
    /// <summary>(a − b) / |b| × 100, in percent.</summary>
    Growth,
    /// <summary>(v3) a − b, in the indicator's own unit (升降幅度: percentage points of a share).</summary>
    Change,
}
