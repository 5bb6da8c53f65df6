using System.Linq.Expressions;
using System.Reflection;
using BaiQianWan.Assess.Rules.Formulas;
using NRules.RuleModel;
using NRules.RuleModel.Builders;

namespace BaiQianWan.Assess.Rules.Monitors;

/// <summary>
/// Builds NRules' canonical rule model from a monitor at run time, in the style of the scoring rules
/// (<c>Engine.RuleModelBuilder</c>): named rules per YAML element, conditions and actions as expression trees, each
/// light's formulas embedded in its rule's action. The rules, in order:
/// <c>figures:&lt;indicator&gt;</c> (§2.1, per class and month), <c>rank:&lt;indicator&gt;</c> and
/// <c>rank:&lt;indicator&gt;:level</c> (§2.2), <c>light:&lt;id&gt;</c> for each light in order (§2.3: the unit's first light
/// whose formula — the indicator's own <c>when</c>, else the light's — holds), <c>lights:plain</c> (a class's plain
/// lights month by month), <c>escalate:&lt;light&gt;:&lt;months&gt;:&lt;to&gt;</c> in order and <c>streak</c> (§2.4) over those
/// month facts, and <c>result</c>. Parameter names of every lambda equal the names of the patterns they read.
/// </summary>
internal static class MonitorRuleBuilder
{
    public static IReadOnlyList<IRuleDefinition> Build(MonitorRuleSet rules)
    {
        var definitions = new List<IRuleDefinition>();
        var monitor = rules.Monitor;
        for (var k = 0; k < monitor.Indicators.Length; k++)
        {
            definitions.Add(FiguresRule(rules, k));
            definitions.Add(RankRule(rules, k));
            definitions.Add(LevelRankRule(rules, k));
        }
        for (var i = 0; i < monitor.Lights.Length; i++) definitions.Add(LightRule(rules, i));
        definitions.Add(PlainRule(rules));
        for (var e = 0; e < monitor.Escalations.Length; e++) definitions.Add(EscalateRule(rules, e));
        definitions.Add(StreakRule(rules));
        definitions.Add(ResultRule(rules));
        return definitions;
    }

    /// <summary><c>figures:&lt;id&gt;</c> — when a class's rows of the indicator in a month are known, derive each unit's figures.</summary>
    private static IRuleDefinition FiguresRule(MonitorRuleSet rules, int k)
    {
        var builder = Rule("figures:" + rules.Monitor.Indicators[k].Id);
        builder.LeftHandSide().Pattern(typeof(MonthRows), "rows").Condition(Lambda<MonthRows>(rows => rows.Indicator == k));
        builder.RightHandSide().Action(Action<MonthRows>((context, rows) => MonitorActions.Figures(context, rows, rules)));
        return builder.Build();
    }

    /// <summary><c>rank:&lt;id&gt;</c> — when a class's figures of a month are known, rank the class peers and take their mean.</summary>
    private static IRuleDefinition RankRule(MonitorRuleSet rules, int k)
    {
        var builder = Rule("rank:" + rules.Monitor.Indicators[k].Id);
        builder.LeftHandSide().Pattern(typeof(MonthFigureColumn), "figures").Condition(Lambda<MonthFigureColumn>(figures => figures.Indicator == k));
        builder.RightHandSide().Action(Action<MonthFigureColumn>((context, figures) => MonitorActions.Rank(context, figures, rules)));
        return builder.Build();
    }

    /// <summary>
    /// <c>rank:&lt;id&gt;:level</c> — when every class's standing in every month is known (NRules <c>Collect</c>), rank
    /// each month's level peers together and take their mean; each class and month is then ready for its lights.
    /// </summary>
    private static IRuleDefinition LevelRankRule(MonitorRuleSet rules, int k)
    {
        var builder = Rule("rank:" + rules.Monitor.Indicators[k].Id + ":level");
        var lhs = builder.LeftHandSide();
        lhs.Pattern(typeof(MonthRun), "run");
        var pattern = lhs.Pattern(typeof(IEnumerable<ClassStanding>), "standings");
        pattern.Condition((Expression<Func<IEnumerable<ClassStanding>, MonthRun, bool>>)((standings, run) => standings.Count() == run.ColumnsPerIndicator));
        var aggregate = pattern.Aggregate();
        aggregate.Collect();
        aggregate.Pattern(typeof(ClassStanding), "standing").Condition(Lambda<ClassStanding>(standing => standing.Indicator == k));
        builder.RightHandSide().Action((Expression<Action<IContext, MonthRun, IEnumerable<ClassStanding>>>)((context, run, standings) =>
            MonitorActions.LevelRank(context, run, standings, rules, k)));
        return builder.Build();
    }

    /// <summary>
    /// <c>light:&lt;id&gt;</c> — when a class and month has been through the lights before this one (the first light: when
    /// its class and level standing are known), light the units not lit yet whose formula for this light holds. Each
    /// indicator's formula for the light is part of the action's expression tree (the last light has none: it takes
    /// every unit left). One fact per class and month carries the standings, so the rule joins nothing.
    /// </summary>
    private static IRuleDefinition LightRule(MonitorRuleSet rules, int step)
    {
        var builder = Rule("light:" + rules.Monitor.Lights[step].Id);
        var before = step - 1;
        builder.LeftHandSide().Pattern(typeof(LightStep), "previous").Condition(Lambda<LightStep>(previous => previous.Step == before));
        var context = Expression.Parameter(typeof(IContext), "context");
        var previous = Expression.Parameter(typeof(LightStep), "previous");
        var indicators = rules.Monitor.Indicators.Length;
        Expression formulas = Expression.Constant(null, typeof(Func<FormulaScope, decimal>[]));
        if (step < rules.Monitor.Lights.Length - 1)
            formulas = Expression.NewArrayInit(typeof(Func<FormulaScope, decimal>),
                Enumerable.Range(0, indicators).Select(k => (Expression)rules.Trees[k, step]!));
        builder.RightHandSide().Action(Expression.Lambda(
            Expression.Call(ActionMethod(nameof(MonitorActions.Light)), context, previous, Expression.Constant(rules), Expression.Constant(step), formulas),
            context, previous));
        return builder.Build();
    }

    /// <summary>
    /// <c>lights:plain</c> — when every indicator of a class is lit in every month 1…m (NRules <c>Collect</c> over the
    /// last light's steps), derive the class's plain lights month by month (the month facts escalations and streaks read).
    /// </summary>
    private static IRuleDefinition PlainRule(MonitorRuleSet rules)
    {
        var builder = Rule("lights:plain");
        var lhs = builder.LeftHandSide();
        lhs.Pattern(typeof(MonthRun), "run");
        lhs.Pattern(typeof(MonthRoster), "roster");
        var last = rules.Monitor.Lights.Length - 1;
        var pattern = lhs.Pattern(typeof(IEnumerable<LightStep>), "steps");
        pattern.Condition((Expression<Func<IEnumerable<LightStep>, MonthRun, bool>>)((steps, run) => steps.Count() == run.ColumnsPerClass));
        var aggregate = pattern.Aggregate();
        aggregate.Collect();
        aggregate.Pattern(typeof(LightStep), "step").Condition((Expression<Func<LightStep, MonthRoster, bool>>)((step, roster) =>
            step.Class == roster.Class && step.Step == last));
        builder.RightHandSide().Action((Expression<Action<IContext, MonthRun, MonthRoster, IEnumerable<LightStep>>>)((context, run, roster, steps) =>
            MonitorActions.Plain(context, run, roster, steps, rules)));
        return builder.Build();
    }

    /// <summary><c>escalate:&lt;light&gt;:&lt;months&gt;:&lt;to&gt;</c> — after the escalations before it, apply this one to every month 1…m.</summary>
    private static IRuleDefinition EscalateRule(MonitorRuleSet rules, int e)
    {
        var esc = rules.Monitor.Escalations[e];
        var builder = Rule($"escalate:{esc.Light}:{esc.Months}:{esc.To}");
        builder.LeftHandSide().Pattern(typeof(LightHistory), "history").Condition(Lambda<LightHistory>(history => history.Stage == e));
        builder.RightHandSide().Action(Action<LightHistory>((context, history) => MonitorActions.Escalate(context, history, rules, e)));
        return builder.Build();
    }

    /// <summary><c>streak</c> — when a class's lights are final, count each unit's months in a row with month m's light.</summary>
    private static IRuleDefinition StreakRule(MonitorRuleSet rules)
    {
        var builder = Rule("streak");
        var final = rules.Monitor.Escalations.Length;
        builder.LeftHandSide().Pattern(typeof(LightHistory), "history").Condition(Lambda<LightHistory>(history => history.Stage == final));
        builder.RightHandSide().Action(Action<LightHistory>((context, history) => MonitorActions.Streak(context, history)));
        return builder.Build();
    }

    /// <summary><c>result</c> — when a class's indicators all have final lights and streaks, give each unit its month.</summary>
    private static IRuleDefinition ResultRule(MonitorRuleSet rules)
    {
        var builder = Rule("result");
        var lhs = builder.LeftHandSide();
        lhs.Pattern(typeof(MonthRun), "run");
        lhs.Pattern(typeof(MonthRoster), "roster");
        Collect<IndicatorOutcome>(lhs, "outcomes", "outcome",
            (Expression<Func<IEnumerable<IndicatorOutcome>, MonthRun, bool>>)((outcomes, run) => outcomes.Count() == run.Indicators),
            (Expression<Func<IndicatorOutcome, MonthRoster, bool>>)((outcome, roster) => outcome.Class == roster.Class));
        Collect<ClassStanding>(lhs, "standings", "standing",
            (Expression<Func<IEnumerable<ClassStanding>, MonthRun, bool>>)((standings, run) => standings.Count() == run.ColumnsPerClass),
            (Expression<Func<ClassStanding, MonthRoster, bool>>)((standing, roster) => standing.Class == roster.Class));
        Collect<LevelStanding>(lhs, "levels", "level",
            (Expression<Func<IEnumerable<LevelStanding>, MonthRun, bool>>)((levels, run) => levels.Count() == run.Indicators),
            (Expression<Func<LevelStanding, MonthRun, bool>>)((level, run) => level.Month == run.Month));
        builder.RightHandSide().Action((Expression<Action<IContext, MonthRun, MonthRoster, IEnumerable<IndicatorOutcome>, IEnumerable<ClassStanding>, IEnumerable<LevelStanding>>>)(
            (context, run, roster, outcomes, standings, levels) => MonitorActions.Result(context, run, roster, outcomes, standings, levels, rules)));
        return builder.Build();
    }

    private static void Collect<TFact>(GroupBuilder lhs, string name, string element, LambdaExpression complete, LambdaExpression condition)
    {
        var pattern = lhs.Pattern(typeof(IEnumerable<TFact>), name);
        pattern.Condition(complete);
        var aggregate = pattern.Aggregate();
        aggregate.Collect();
        aggregate.Pattern(typeof(TFact), element).Condition(condition);
    }

    private static RuleBuilder Rule(string name)
    {
        var builder = new RuleBuilder();
        builder.Name(name);
        return builder;
    }

    private static Expression<Func<T, bool>> Lambda<T>(Expression<Func<T, bool>> condition) => condition;

    private static Expression<Action<IContext, T>> Action<T>(Expression<Action<IContext, T>> action) => action;

    private static MethodInfo ActionMethod(string name) =>
        typeof(MonitorActions).GetMethod(name, BindingFlags.Public | BindingFlags.Static)
        ?? throw new InvalidOperationException($"MonitorActions.{name} not found.");
}
