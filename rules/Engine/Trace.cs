using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;

namespace BaiQianWan.Assess.Rules.Engine;

/// <summary>Text of figures in the trace.</summary>
internal static class Trace
{
    public static string Observation(Observation o) =>
        $"actual {Numbers.Plain(o.Actual)}" +
        (o.Target is { } t ? $", target {Numbers.Plain(t)}" : "") +
        (o.Baseline is { } b ? $", baseline {Numbers.Plain(b)}" : "");
}
