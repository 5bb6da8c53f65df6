using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Engine;

/// <summary>
/// A scoring rule failed inside its action (not a scoring outcome such as missing data, but e.g. a figure beyond
/// the range of a decimal). Names the rule, the unit and the YAML position of the element the rule came from; the
/// evaluation gives no result.
/// </summary>
public sealed class RuleEvaluationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="rule">The rule's name, e.g. <c>indicator:fai</c>.</param>
    /// <param name="unit">The unit being scored.</param>
    /// <param name="className">The unit's class.</param>
    /// <param name="position">The YAML position of the rule's element (line 0 when it has none, e.g. <c>total</c>).</param>
    /// <param name="reason">What went wrong, in Chinese.</param>
    /// <param name="inner">The original exception.</param>
    public RuleEvaluationException(string rule, string unit, string className, SourcePosition position, string reason, Exception? inner)
        : base(Describe(rule, unit, className, position, reason), inner)
    {
        Rule = rule;
        Unit = unit;
        Class = className;
        Position = position;
        Reason = reason;
    }

    /// <summary>The rule's name.</summary>
    public string Rule { get; }

    /// <summary>The unit code.</summary>
    public string Unit { get; }

    /// <summary>The unit's class.</summary>
    public string Class { get; }

    /// <summary>Line and column of the ruleset element (line 0: none).</summary>
    public SourcePosition Position { get; }

    /// <summary>What went wrong.</summary>
    public string Reason { get; }

    private static string Describe(string rule, string unit, string className, SourcePosition position, string reason) =>
        position.Line > 0
            ? $"规则 {rule}（规则集第 {position.Line} 行）在单位 {unit}（{className}）上执行失败：{reason}"
            : $"规则 {rule} 在单位 {unit}（{className}）上执行失败：{reason}";
}
