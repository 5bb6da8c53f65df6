using System.Linq.Expressions;
using BaiQianWan.Assess.Rules.Engine;
using BaiQianWan.Assess.Rules.Formulas;
using NRules;

namespace BaiQianWan.Assess.Rules.Monitors;

/// <summary>
/// The compile-time part of a monitor's rules (what the actions receive as constants), the rule model built from it
/// and the session factory NRules compiled. A session reads no YAML, only facts.
/// </summary>
internal sealed class MonitorRuleSet
{
    public MonitorRuleSet(MonitorDefinition monitor)
    {
        Monitor = monitor;
        var lights = monitor.Lights.Length;
        Trees = new Expression<Func<FormulaScope, decimal>>?[monitor.Indicators.Length, lights];
        Uses = new FormulaVariables[monitor.Indicators.Length, lights];
        for (var k = 0; k < monitor.Indicators.Length; k++)
        {
            for (var i = 0; i < lights; i++)
            {
                if (monitor.Indicators[k].FormulaFor(monitor.Lights[i]) is not { } text) continue;
                var (tree, uses) = FormulaCompiler.CompileExpression(text, FormulaContext.Monitor);
                Trees[k, i] = tree;
                Uses[k, i] = uses;
            }
        }
        Escalations = [.. monitor.Escalations.Select(e => (monitor.LightIndex(e.Light), e.Months, monitor.LightIndex(e.To)))];
        var definitions = MonitorRuleBuilder.Build(this);
        RuleNames = [.. definitions.Select(d => d.Name)];
        Factory = new RuleCompiler { ExpressionCompiler = new RuleExpressionCompiler() }.Compile(definitions);
    }

    public MonitorDefinition Monitor { get; }

    public int Decimals => Monitor.Decimals;

    /// <summary>Per indicator and light: the formula's expression tree (null for the last light).</summary>
    public Expression<Func<FormulaScope, decimal>>?[,] Trees { get; }

    /// <summary>Per indicator and light: the variables the formula names.</summary>
    public FormulaVariables[,] Uses { get; }

    /// <summary>Per escalation: the watched light's index, the months and the given light's index.</summary>
    public (int Light, int Months, int To)[] Escalations { get; }

    public IReadOnlyList<string> RuleNames { get; }

    public ISessionFactory Factory { get; }
}
