using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Model;
using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Rules.Evaluation;

/// <summary>Missing indicator: the reason and the zero it scores.</summary>
internal sealed class MissingExplanation(string reason) : Explanation
{
    protected override string Compose() => $"{reason}，按 0 分计";
}

// Each explanation keeps only the unit's own numbers and a reference to what its class shares (weight,
// method, peers), so scoring allocates one small object per unit and indicator; the sentence is composed
// only when read. Each method's explanation lives with its scorer in rules/Methods/<Method>.cs.

/// <summary>A figure with its unit: value-metric figures carry the indicator's unit of measure, the others their own (%).</summary>
internal static class Figures
{
    public static string Show(Metric metric, decimal value, string? unit) =>
        metric == Metric.Value ? Numbers.Plain(value) + UnitAfter(unit) : MetricFacts.Show(metric, value);

    /// <summary>" 亿元" after a number, but "%" and "‰" written close up (as <see cref="MetricFacts.Describe"/> does).</summary>
    public static string UnitAfter(string? unit) => unit switch
    {
        null or "" => "",
        "%" or "‰" or "％" => unit,
        _ => " " + unit,
    };
}
