using System.Linq.Expressions;
using System.Reflection;
using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Model;
using NRules.RuleModel;
using NRules.RuleModel.Builders;

namespace BaiQianWan.Assess.Rules.Engine;

/// <summary>
/// Builds NRules' canonical rule model from a ruleset at run time: one or more named rules per YAML element, with
/// conditions and actions as LINQ expression trees (formulas and <c>when</c> conditions embedded as trees), so that
/// <c>RuleCompiler</c> compiles them. No C# is written per rule. Parameter names of every lambda equal the names of
/// the patterns they read, as NRules binds them by name.
/// </summary>
internal static class RuleModelBuilder
{
    /// <summary>The rules of a ruleset, in ruleset order.</summary>
    public static IReadOnlyList<IRuleDefinition> Build(ClassRules rules)
    {
        var definitions = new List<IRuleDefinition>();
        for (var d = 0; d < rules.Ruleset.Dimensions.Length; d++)
        {
            foreach (var indicator in rules.Indicators)
            {
                if (indicator.Dimension != d) continue;
                definitions.Add(MetricRule(indicator));
                if (indicator.NeedsPeers) definitions.Add(PeersRule(indicator));
                if (indicator.NeedsLevel) definitions.Add(LevelPeersRule(indicator));
                definitions.Add(ScoreRule(indicator));
            }
            definitions.Add(DimensionRule(rules, d));
        }
        foreach (var adjustment in rules.Adjustments) definitions.Add(AdjustmentRule(adjustment));
        definitions.Add(TotalRule(rules));
        definitions.Add(RankRule());
        if (rules.Ruleset.UsesLevelScope) definitions.Add(LevelRankRule(rules));
        for (var level = 0; level < rules.Ruleset.Grades.Levels.Length; level++) definitions.Add(GradeRule(rules, level));
        if (rules.Ruleset.Lists.Red is { } red) definitions.Add(RedListRule(red));
        if (rules.Ruleset.Lists.Black is { } black) definitions.Add(BlackListRule(black));
        definitions.Add(ResultRule(rules));
        return definitions;
    }

    /// <summary><c>indicator:&lt;id&gt;:metric</c> — when the observations of a class to which the indicator applies are known, derive each unit's metric.</summary>
    private static IRuleDefinition MetricRule(IndicatorRule rule)
    {
        var builder = Rule(rule.Name + ":metric");
        var item = rule.Item;
        var observations = builder.LeftHandSide().Pattern(typeof(ObservationColumn), "observations");
        observations.Condition(Lambda<ObservationColumn>(observations => observations.Item == item && rule.AppliesTo(observations.Class)));
        builder.RightHandSide().Action(Action<ObservationColumn>((context, observations) => RuleActions.Metric(context, observations, rule)));
        return builder.Build();
    }

    /// <summary><c>indicator:&lt;id&gt;:peers</c> — when a class's metrics are known, derive the class peers' count, best, worst, mean and ranks.</summary>
    private static IRuleDefinition PeersRule(IndicatorRule rule)
    {
        var builder = Rule(rule.Name + ":peers");
        var item = rule.Item;
        var metrics = builder.LeftHandSide().Pattern(typeof(MetricColumn), "metrics");
        metrics.Condition(Lambda<MetricColumn>(metrics => metrics.Item == item));
        builder.RightHandSide().Action(Action<MetricColumn>((context, metrics) => RuleActions.Peers(context, metrics, rule)));
        return builder.Build();
    }

    /// <summary>
    /// (v3) <c>indicator:&lt;id&gt;:level</c> — when the metrics of every class carrying the indicator are known (NRules
    /// <c>Collect</c> over the level), derive levelAvg and parentAvg.
    /// </summary>
    private static IRuleDefinition LevelPeersRule(IndicatorRule rule)
    {
        var builder = Rule(rule.Name + ":level");
        var item = rule.Item;
        var classes = rule.ClassesCarrying;
        var pattern = builder.LeftHandSide().Pattern(typeof(IEnumerable<MetricColumn>), "columns");
        pattern.Condition((Expression<Func<IEnumerable<MetricColumn>, bool>>)(columns => columns.Count() == classes));
        var aggregate = pattern.Aggregate();
        aggregate.Collect();
        aggregate.Pattern(typeof(MetricColumn), "column").Condition(Lambda<MetricColumn>(column => column.Item == item));
        builder.RightHandSide().Action((Expression<Action<IContext, IEnumerable<MetricColumn>>>)((context, columns) => RuleActions.LevelPeers(context, columns, rule)));
        return builder.Build();
    }

    /// <summary>
    /// <c>indicator:&lt;id&gt;</c> — when a class's metrics (and, if the method reads them, its peers' figures) are known,
    /// score each unit. A <c>formula</c> method's formula is part of the action's expression tree.
    /// </summary>
    private static IRuleDefinition ScoreRule(IndicatorRule rule)
    {
        var builder = Rule(rule.Name);
        var item = rule.Item;
        var lhs = builder.LeftHandSide();
        var metricsPattern = lhs.Pattern(typeof(MetricColumn), "metrics");
        metricsPattern.Condition(Lambda<MetricColumn>(metrics => metrics.Item == item));
        var context = Expression.Parameter(typeof(IContext), "context");
        var metrics = Expression.Parameter(typeof(MetricColumn), "metrics");
        var parameters = new List<ParameterExpression> { context, metrics };
        Expression peersArgument = Expression.Constant(null, typeof(PeerFigures));
        if (rule.NeedsPeers)
        {
            var peersPattern = lhs.Pattern(typeof(PeerFigures), "peers");
            peersPattern.Condition(Lambda<PeerFigures>(peers => peers.Scope == Scope.Class && peers.Item == item));
            peersPattern.Condition((Expression<Func<PeerFigures, MetricColumn, bool>>)((peers, metrics) => peers.Metrics == metrics));
            var peers = Expression.Parameter(typeof(PeerFigures), "peers");
            parameters.Add(peers);
            peersArgument = peers;
        }
        Expression levelArgument = Expression.Constant(null, typeof(PeerFigures));
        Expression parentsArgument = Expression.Constant(null, typeof(PeerFigures));
        if (rule.NeedsLevel)
        {
            // (v3) the indicator's figures over the level (levelAvg) and over the parent regions (parentAvg).
            var levelPattern = lhs.Pattern(typeof(PeerFigures), "level");
            levelPattern.Condition(Lambda<PeerFigures>(level => level.Scope == Scope.Level && level.Item == item));
            var level = Expression.Parameter(typeof(PeerFigures), "level");
            parameters.Add(level);
            levelArgument = level;
            var parentsPattern = lhs.Pattern(typeof(PeerFigures), "parents");
            parentsPattern.Condition(Lambda<PeerFigures>(parents => parents.Scope == Scope.Parent && parents.Item == item));
            var parents = Expression.Parameter(typeof(PeerFigures), "parents");
            parameters.Add(parents);
            parentsArgument = parents;
        }
        // (v3) each input the formula names: the class's observation column of it (same roster as the metrics).
        var inputs = new List<Expression>();
        for (var k = 0; k < rule.InputItems.Length; k++)
        {
            var name = "input" + k.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var inputItem = rule.InputItems[k];
            var inputPattern = lhs.Pattern(typeof(ObservationColumn), name);
            var input = Expression.Parameter(typeof(ObservationColumn), name);
            var metricsOfPattern = Expression.Parameter(typeof(MetricColumn), "metrics");
            inputPattern.Condition(Expression.Lambda(
                Expression.AndAlso(
                    Expression.Equal(Expression.Property(input, nameof(ObservationColumn.Item)), Expression.Constant(inputItem)),
                    Expression.Equal(Expression.Property(input, nameof(ObservationColumn.Roster)),
                        Expression.Property(Expression.Property(metricsOfPattern, nameof(MetricColumn.Source)), nameof(ObservationColumn.Roster)))),
                input, metricsOfPattern));
            parameters.Add(input);
            inputs.Add(input);
        }
        var inputsArgument = Expression.NewArrayInit(typeof(ObservationColumn), inputs);
        Expression formula = rule.FormulaTree is { } tree ? tree : Expression.Constant(null, typeof(Func<FormulaScope, decimal>));
        builder.RightHandSide().Action(Expression.Lambda(
            Expression.Call(ActionMethod(nameof(RuleActions.Score)), context, metrics, peersArgument, levelArgument, parentsArgument, inputsArgument, Expression.Constant(rule), formula),
            parameters));
        return builder.Build();
    }

    /// <summary>
    /// <c>bonus:&lt;id&gt;</c>, <c>penalty:&lt;id&gt;</c>, <c>veto:&lt;id&gt;</c> — when a class's counts of the item are known,
    /// derive each unit's points or vetoes; the item's <c>formula</c> or <c>when</c> is part of the action's tree.
    /// </summary>
    private static IRuleDefinition AdjustmentRule(AdjustmentRule rule)
    {
        var builder = Rule(rule.Name);
        var item = rule.Item;
        var pattern = builder.LeftHandSide().Pattern(typeof(ObservationColumn), "observations");
        pattern.Condition(Lambda<ObservationColumn>(observations => observations.Item == item));
        var context = Expression.Parameter(typeof(IContext), "context");
        var observations = Expression.Parameter(typeof(ObservationColumn), "observations");
        Expression formula = rule.FormulaTree is { } tree ? tree : Expression.Constant(null, typeof(Func<FormulaScope, decimal>));
        var method = rule.Adjustment.Kind == AdjustmentKind.Veto ? nameof(RuleActions.Veto) : nameof(RuleActions.Points);
        builder.RightHandSide().Action(Expression.Lambda(
            Expression.Call(ActionMethod(method), context, observations, Expression.Constant(rule), formula),
            context, observations));
        return builder.Build();
    }

    /// <summary>
    /// <c>dimension:&lt;id&gt;</c> — when every indicator of the dimension that applies to a class is scored (NRules
    /// <c>Collect</c> over the class's scores of the dimension), derive each unit's dimension subtotal. Fires for the
    /// classes where an indicator of the dimension applies.
    /// </summary>
    private static IRuleDefinition DimensionRule(ClassRules rules, int dimension)
    {
        var builder = Rule("dimension:" + rules.Ruleset.Dimensions[dimension].Id);
        var lhs = builder.LeftHandSide();
        var applicable = rules.DimensionIndicators[dimension];
        var roster = lhs.Pattern(typeof(ClassRoster), "roster");
        roster.Condition(Lambda<ClassRoster>(roster => applicable[roster.Class] > 0));
        CollectOfClass<IndicatorScores>(lhs, "scores", "score",
            (Expression<Func<IEnumerable<IndicatorScores>, ClassRoster, bool>>)((scores, roster) => scores.Count() == applicable[roster.Class]),
            (Expression<Func<IndicatorScores, ClassRoster, bool>>)((score, roster) => score.Roster == roster),
            Lambda<IndicatorScores>(score => score.Dimension == dimension));
        builder.RightHandSide().Action((Expression<Action<IContext, ClassRoster, IEnumerable<IndicatorScores>>>)((context, roster, scores) =>
            RuleActions.Dimension(context, roster, scores, rules, dimension)));
        return builder.Build();
    }

    /// <summary>
    /// <c>total</c> — when every dimension of a class is summed and every adjustment counted (NRules <c>Collect</c>
    /// aggregates over the class's facts), derive each unit's total and the roster of the ranking stages.
    /// </summary>
    private static IRuleDefinition TotalRule(ClassRules rules)
    {
        var builder = Rule("total");
        var lhs = builder.LeftHandSide();
        lhs.Pattern(typeof(ClassRoster), "roster");
        var used = rules.DimensionsUsed;
        CollectOfClass<DimensionScores>(lhs, "dimensions", "dimension",
            (Expression<Func<IEnumerable<DimensionScores>, ClassRoster, bool>>)((dimensions, roster) => dimensions.Count() == used[roster.Class]),
            (Expression<Func<DimensionScores, ClassRoster, bool>>)((dimension, roster) => dimension.Roster == roster));
        var context = Expression.Parameter(typeof(IContext), "context");
        var rosterParameter = Expression.Parameter(typeof(ClassRoster), "roster");
        var dimensionsParameter = Expression.Parameter(typeof(IEnumerable<DimensionScores>), "dimensions");
        var parameters = new List<ParameterExpression> { context, rosterParameter, dimensionsParameter };
        Expression pointsArgument = Expression.Constant(Array.Empty<AdjustmentPoints>(), typeof(IEnumerable<AdjustmentPoints>));
        Expression vetoesArgument = Expression.Constant(Array.Empty<VetoFindings>(), typeof(IEnumerable<VetoFindings>));
        if (rules.PointItems > 0)
        {
            var count = rules.PointItems;
            CollectOfClass<AdjustmentPoints>(lhs, "points", "point",
                (Expression<Func<IEnumerable<AdjustmentPoints>, bool>>)(points => points.Count() == count),
                (Expression<Func<AdjustmentPoints, ClassRoster, bool>>)((point, roster) => point.Roster == roster));
            var p = Expression.Parameter(typeof(IEnumerable<AdjustmentPoints>), "points");
            parameters.Add(p);
            pointsArgument = p;
        }
        if (rules.VetoItems > 0)
        {
            var count = rules.VetoItems;
            CollectOfClass<VetoFindings>(lhs, "vetoes", "veto",
                (Expression<Func<IEnumerable<VetoFindings>, bool>>)(vetoes => vetoes.Count() == count),
                (Expression<Func<VetoFindings, ClassRoster, bool>>)((veto, roster) => veto.Roster == roster));
            var v = Expression.Parameter(typeof(IEnumerable<VetoFindings>), "vetoes");
            parameters.Add(v);
            vetoesArgument = v;
        }
        builder.RightHandSide().Action(Expression.Lambda(
            Expression.Call(ActionMethod(nameof(RuleActions.Total)), context, rosterParameter, dimensionsParameter, pointsArgument, vetoesArgument, Expression.Constant(rules)),
            parameters));
        return builder.Build();
    }

    /// <summary><c>rank</c> — when a class's totals are known, rank its units.</summary>
    private static IRuleDefinition RankRule()
    {
        var builder = Rule("rank");
        builder.LeftHandSide().Pattern(typeof(ClassTotals), "totals");
        builder.RightHandSide().Action(Action<ClassTotals>((context, totals) => RuleActions.Rank(context, totals)));
        return builder.Build();
    }

    /// <summary>
    /// (v3) <c>rank:level</c> — when every class's totals are known (NRules <c>Collect</c> over the level), rank the
    /// level's ranked units together. Built only when the grades or a list use <c>scope: level</c>.
    /// </summary>
    private static IRuleDefinition LevelRankRule(ClassRules rules)
    {
        var builder = Rule("rank:level");
        var classes = rules.Ruleset.Classes.Length;
        var pattern = builder.LeftHandSide().Pattern(typeof(IEnumerable<ClassTotals>), "totals");
        pattern.Condition((Expression<Func<IEnumerable<ClassTotals>, bool>>)(totals => totals.Count() == classes));
        var aggregate = pattern.Aggregate();
        aggregate.Collect();
        aggregate.Pattern(typeof(ClassTotals), "classTotals");
        builder.RightHandSide().Action((Expression<Action<IContext, IEnumerable<ClassTotals>>>)((context, totals) => RuleActions.LevelRank(context, totals)));
        return builder.Build();
    }

    /// <summary>The pattern of a rule that reads a class's ranking in one scope: the action's parameters <c>context, ranking</c>.</summary>
    private static (ParameterExpression Context, ParameterExpression Ranking) RankingPattern(GroupBuilder lhs, bool levelScope)
    {
        var scope = levelScope ? Scope.Level : Scope.Class;
        lhs.Pattern(typeof(Ranking), "ranking").Condition(Lambda<Ranking>(ranking => ranking.Scope == scope));
        return (Expression.Parameter(typeof(IContext), "context"), Expression.Parameter(typeof(Ranking), "ranking"));
    }

    /// <summary>
    /// <c>grade:&lt;name&gt;</c> — when a class is ranked in the grades' scope (the class, or with <c>scope: level</c> the
    /// level), find the units that qualify for this level.
    /// </summary>
    private static IRuleDefinition GradeRule(ClassRules rules, int gradeLevel)
    {
        var builder = Rule("grade:" + rules.Ruleset.Grades.Levels[gradeLevel].Name);
        var (context, ranking) = RankingPattern(builder.LeftHandSide(), rules.Ruleset.Grades.LevelScope);
        builder.RightHandSide().Action(Expression.Lambda(
            Expression.Call(ActionMethod(nameof(RuleActions.Grade)), context, ranking, Expression.Constant(rules), Expression.Constant(gradeLevel)),
            context, ranking));
        return builder.Build();
    }

    /// <summary><c>list:red</c> — when a class is ranked in the list's scope, find its red-list units.</summary>
    private static IRuleDefinition RedListRule(RedListRule red)
    {
        var builder = Rule("list:red");
        var (context, ranking) = RankingPattern(builder.LeftHandSide(), red.LevelScope);
        builder.RightHandSide().Action(Expression.Lambda(
            Expression.Call(ActionMethod(nameof(RuleActions.RedList)), context, ranking, Expression.Constant(red)),
            context, ranking));
        return builder.Build();
    }

    /// <summary><c>list:black</c> — when a class is ranked in the list's scope, find its black-list units.</summary>
    private static IRuleDefinition BlackListRule(BlackListRule black)
    {
        var builder = Rule("list:black");
        var (context, ranking) = RankingPattern(builder.LeftHandSide(), black.LevelScope);
        builder.RightHandSide().Action(Expression.Lambda(
            Expression.Call(ActionMethod(nameof(RuleActions.BlackList)), context, ranking, Expression.Constant(black)),
            context, ranking));
        return builder.Build();
    }

    /// <summary>
    /// <c>result</c> — when a class is ranked (and, with <c>scope: level</c>, ranked in the level) and its grade levels and
    /// lists are all known, give each unit its rank, grade and lists.
    /// </summary>
    private static IRuleDefinition ResultRule(ClassRules rules)
    {
        var builder = Rule("result");
        var lhs = builder.LeftHandSide();
        var (context, ranking) = RankingPattern(lhs, levelScope: false);
        var parameters = new List<ParameterExpression> { context, ranking };
        Expression level = Expression.Constant(null, typeof(Ranking));
        if (rules.Ruleset.UsesLevelScope)
        {
            var levelPattern = lhs.Pattern(typeof(Ranking), "level");
            levelPattern.Condition(Lambda<Ranking>(level => level.Scope == Scope.Level));
            levelPattern.Condition((Expression<Func<Ranking, Ranking, bool>>)((level, ranking) => level.Totals == ranking.Totals));
            var p = Expression.Parameter(typeof(Ranking), "level");
            parameters.Add(p);
            level = p;
        }
        var levels = rules.Ruleset.Grades.Levels.Length;
        Expression awardsArgument = Expression.Constant(Array.Empty<GradeAward>(), typeof(IEnumerable<GradeAward>));
        if (levels > 0)
        {
            CollectOfClass<GradeAward>(lhs, "awards", "award",
                (Expression<Func<IEnumerable<GradeAward>, bool>>)(awards => awards.Count() == levels),
                (Expression<Func<GradeAward, Ranking, bool>>)((award, ranking) => award.Roster == ranking.Totals.Roster));
            var a = Expression.Parameter(typeof(IEnumerable<GradeAward>), "awards");
            parameters.Add(a);
            awardsArgument = a;
        }
        Expression listsArgument = Expression.Constant(Array.Empty<ListEntries>(), typeof(IEnumerable<ListEntries>));
        if (rules.ListCount > 0)
        {
            var count = rules.ListCount;
            CollectOfClass<ListEntries>(lhs, "lists", "entries",
                (Expression<Func<IEnumerable<ListEntries>, bool>>)(lists => lists.Count() == count),
                (Expression<Func<ListEntries, Ranking, bool>>)((entries, ranking) => entries.Roster == ranking.Totals.Roster));
            var l = Expression.Parameter(typeof(IEnumerable<ListEntries>), "lists");
            parameters.Add(l);
            listsArgument = l;
        }
        builder.RightHandSide().Action(Expression.Lambda(
            Expression.Call(ActionMethod(nameof(RuleActions.Result)), context, ranking, level, awardsArgument, listsArgument, Expression.Constant(rules)),
            parameters));
        return builder.Build();
    }

    /// <summary>A pattern over the collection of a class's facts of one type (NRules' <c>Collect</c> aggregate).</summary>
    private static void CollectOfClass<TFact>(GroupBuilder lhs, string name, string element,
        LambdaExpression complete, LambdaExpression sameClass, LambdaExpression? which = null)
    {
        var pattern = lhs.Pattern(typeof(IEnumerable<TFact>), name);
        pattern.Condition(complete);
        var aggregate = pattern.Aggregate();
        aggregate.Collect();
        var source = aggregate.Pattern(typeof(TFact), element);
        if (which is not null) source.Condition(which);
        source.Condition(sameClass);
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
        typeof(RuleActions).GetMethod(name, BindingFlags.Public | BindingFlags.Static)
        ?? throw new InvalidOperationException($"RuleActions.{name} not found.");
}
