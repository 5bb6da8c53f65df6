namespace BaiQianWan.Assess.Rules.Model;

/// <summary>A scored indicator.</summary>
/// <param name="Id">Id, matching <c>observations.indicator</c>.</param>
/// <param name="Name">Display name.</param>
/// <param name="UnitOfMeasure">Unit of measure for display (e.g. 亿元), if given.</param>
/// <param name="Weight">Weight, uniform or per class.</param>
/// <param name="Better">Direction of the value.</param>
/// <param name="Core">Counts for "targets met".</param>
/// <param name="Method">Scoring method with parameters.</param>
/// <param name="Position">Where the indicator is declared.</param>
public sealed record Indicator(
    string Id,
    string Name,
    string? UnitOfMeasure,
    Weight Weight,
    Better Better,
    bool Core,
    ScoringMethod Method,
    SourcePosition Position)
{
    /// <summary>
    /// The direction the method reads its metric in: completion always points the right way, other
    /// metrics follow <see cref="Better"/>.
    /// </summary>
    public Better ReadDirection => Method.Metric == Metric.Completion ? Better.Higher : Better;
}
