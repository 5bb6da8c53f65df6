namespace BaiQianWan.Assess.Rules.Monitors;

/// <summary>
/// Stable codes of the monitor validation errors (<c>RS4xxx</c>, monthly progress 月通报), each reported at the line
/// of the node named. Structure errors shared with scoring rulesets keep their <see cref="Loading.RulesetCodes"/>
/// (<c>RS1xxx</c>: an unknown key, a missing key, a duplicate class, …) and formula errors their
/// <see cref="Formulas.FormulaCodes"/> (<c>RS2xxx</c>: an unknown variable such as <c>weight</c>). A code is never
/// reused for another meaning.
/// </summary>
public static class MonitorCodes
{
    /// <summary><c>kind</c> other than <c>monitor</c> (at the value; a file without <c>kind</c> is a scoring ruleset).</summary>
    public const string Kind = "RS4001";

    /// <summary>Fewer than two lights (at <c>lights</c>).</summary>
    public const string TooFewLights = "RS4002";

    /// <summary>A light other than the last without <c>when</c> (at the light).</summary>
    public const string LightWithoutWhen = "RS4003";

    /// <summary>The last light with <c>when</c> (at its <c>when</c>): it takes every unit left.</summary>
    public const string LastLightWhen = "RS4004";

    /// <summary>Two lights with one id (at the second id).</summary>
    public const string DuplicateLight = "RS4005";

    /// <summary><c>pace</c> on a metric other than <c>progress</c> (at <c>pace</c>).</summary>
    public const string PaceOnMetric = "RS4006";

    /// <summary><c>curve</c> without <c>pace: curve</c> (at <c>curve</c>), or <c>pace: curve</c> without a <c>curve</c> (at <c>pace</c>).</summary>
    public const string CurveWithoutPace = "RS4007";

    /// <summary>A curve that is not 12 numbers in 0…100, never decreasing (at the curve, or at the value that breaks it).</summary>
    public const string BadCurve = "RS4008";

    /// <summary><c>decimals</c> that is not a whole number in 0…6 (at the value).</summary>
    public const string Decimals = "RS4009";

    /// <summary>An indicator's <c>when</c> naming an unknown light, or the last light (at the key).</summary>
    public const string WhenLight = "RS4010";

    /// <summary>An escalation naming an unknown light in <c>light</c> or <c>to</c> (at the value).</summary>
    public const string EscalationLight = "RS4011";

    /// <summary>An escalation's <c>months</c> that is not a whole number ≥ 2 (at the value).</summary>
    public const string EscalationMonths = "RS4012";

    /// <summary>An escalation whose <c>to</c> is not worse (earlier in <c>lights</c>) than its <c>light</c> (at <c>to</c>).</summary>
    public const string EscalationNotWorse = "RS4013";

    /// <summary>An unknown <c>metric</c> (progress, growth, value) or <c>pace</c> (linear, curve, plan) (at the value).</summary>
    public const string MetricOrPace = "RS4014";

    /// <summary>Two indicators with one id (at the second id).</summary>
    public const string DuplicateIndicator = "RS4015";

    /// <summary>An empty <c>indicators</c> list (at the list).</summary>
    public const string NoIndicators = "RS4016";
}
