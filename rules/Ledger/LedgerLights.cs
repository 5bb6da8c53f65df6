using System.Collections.Immutable;
using System.Linq.Expressions;
using NRules;
using NRules.RuleModel;
using NRules.RuleModel.Builders;

namespace BaiQianWan.Assess.Rules.Ledger;

/// <summary>A task's light (督办) on a date (contract §3).</summary>
public enum TaskLight
{
    /// <summary>No light: not near its deadline, or 已销号 / 中止, or a grouping item.</summary>
    None,

    /// <summary>蓝 (临期): on or before the deadline and at most remindDays before it.</summary>
    Blue,

    /// <summary>黄 (逾期): past the deadline by at most redAfterDays.</summary>
    Yellow,

    /// <summary>红 (挂牌督办): past the deadline by more than redAfterDays.</summary>
    Red,
}

/// <summary>The lights' settings: <c>remindDays</c> (default 3) and <c>redAfterDays</c> (default 30).</summary>
public sealed record LedgerSettings(int RemindDays = 3, int RedAfterDays = 30)
{
    /// <summary>The defaults.</summary>
    public static LedgerSettings Default { get; } = new();

    /// <summary>Why the settings cannot be used (a negative number of days), or null.</summary>
    public string? Problem => RemindDays < 0 ? "remindDays 不能为负数" : RedAfterDays < 0 ? "redAfterDays 不能为负数" : null;
}

/// <summary>A task's light on a date, with its days overdue (D − due when D &gt; due, else 0).</summary>
public sealed record TaskLighting(LedgerTask Task, TaskLight Light, int DaysOverdue);

/// <summary>Chinese names of the lights.</summary>
public static class TaskLights
{
    /// <summary>蓝, 黄, 红, or empty.</summary>
    public static string ToChinese(this TaskLight light) => light switch
    {
        TaskLight.Blue => "蓝",
        TaskLight.Yellow => "黄",
        TaskLight.Red => "红",
        _ => "",
    };
}

/// <summary>
/// The lights of §3, applied by NRules: one session per call, a fact per task 推进中 or 待核验 with a deadline, and three
/// rules (<c>light:blue</c>, <c>light:yellow</c>, <c>light:red</c>) whose conditions are the contract's and whose
/// actions set the fact's light. The rules are compiled once; the settings travel on the facts.
/// </summary>
public static class LedgerLights
{
    private static readonly Lazy<ISessionFactory> Factory = new(Compile);

    /// <summary>The lights of <paramref name="tasks"/> (each as it stands on <paramref name="on"/>: replay it first for a past date), in the given order.</summary>
    public static ImmutableArray<TaskLighting> On(IReadOnlyList<LedgerTask> tasks, DateOnly on, LedgerSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        settings ??= LedgerSettings.Default;
        if (settings.Problem is { } problem) throw new ArgumentException(problem, nameof(settings));
        var facts = new LightCase?[tasks.Count];
        var live = new List<LightCase>();
        for (var i = 0; i < tasks.Count; i++)
        {
            var t = tasks[i];
            if (t.IsGrouping || t.Due is not { } due || t.State is not (TaskState.InProgress or TaskState.Submitted)) continue;
            var fact = new LightCase(due.DayNumber, on.DayNumber, settings.RemindDays, settings.RedAfterDays);
            facts[i] = fact;
            live.Add(fact);
        }
        if (live.Count > 0)
        {
            var session = Factory.Value.CreateSession();
            session.InsertAll(live);
            session.Fire();
        }
        var result = ImmutableArray.CreateBuilder<TaskLighting>(tasks.Count);
        for (var i = 0; i < tasks.Count; i++)
        {
            var f = facts[i];
            result.Add(new TaskLighting(tasks[i], f?.Light ?? TaskLight.None, f is null ? 0 : Math.Max(0, f.On - f.Due)));
        }
        return result.MoveToImmutable();
    }

    /// <summary>The light of one task as it stands on <paramref name="on"/>.</summary>
    public static TaskLighting Of(LedgerTask task, DateOnly on, LedgerSettings? settings = null) => On([task], on, settings)[0];

    private static ISessionFactory Compile()
    {
        IRuleDefinition Rule(string name, Expression<Func<LightCase, bool>> condition, TaskLight light)
        {
            var builder = new RuleBuilder();
            builder.Name(name);
            var pattern = builder.LeftHandSide().Pattern(typeof(LightCase), "fact");
            pattern.Condition(condition);
            builder.RightHandSide().Action((Expression<Action<IContext, LightCase>>)((context, fact) => fact.Set(light)));
            return builder.Build();
        }
        IRuleDefinition[] rules =
        [
            Rule("light:blue", fact => fact.On <= fact.Due && fact.Due - fact.On <= fact.RemindDays, TaskLight.Blue),
            Rule("light:yellow", fact => fact.On > fact.Due && fact.On - fact.Due <= fact.RedAfterDays, TaskLight.Yellow),
            Rule("light:red", fact => fact.On - fact.Due > fact.RedAfterDays, TaskLight.Red),
        ];
        return new RuleCompiler().Compile(rules);
    }

    /// <summary>The fact the light rules match: day numbers of the deadline and the date, and the settings.</summary>
    internal sealed class LightCase(int due, int on, int remindDays, int redAfterDays)
    {
        public int Due { get; } = due;

        public int On { get; } = on;

        public int RemindDays { get; } = remindDays;

        public int RedAfterDays { get; } = redAfterDays;

        public TaskLight Light { get; private set; }

        public void Set(TaskLight light) => Light = light;
    }
}
