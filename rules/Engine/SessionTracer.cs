using System.Collections.Immutable;
using NRules.Diagnostics;

namespace BaiQianWan.Assess.Rules.Engine;

/// <summary>
/// Turns NRules' session events into trace lines: the facts a firing matched (RuleFiring), the facts its action
/// inserted (FactInserted), then one line per figure of those facts when the firing ends (RuleFired). Used by every
/// session that traces (the scoring engine and the monitors), so a trace reads the same whichever rules fired.
/// </summary>
internal sealed class SessionTracer : IDisposable
{
    private readonly IEventProvider _events;
    private readonly ImmutableArray<string> _classes;
    private readonly Action<RuleFiring> _sink;
    private readonly List<ITracedFact> _inserted = [];
    private int _firing;
    private bool _inAction;

    public SessionTracer(IEventProvider events, ImmutableArray<string> classes, Action<RuleFiring> sink)
    {
        _events = events;
        _classes = classes;
        _sink = sink;
        events.RuleFiringEvent += OnFiring;
        events.FactInsertedEvent += OnInserted;
        events.RuleFiredEvent += OnFired;
    }

    public void Dispose()
    {
        _events.RuleFiringEvent -= OnFiring;
        _events.FactInsertedEvent -= OnInserted;
        _events.RuleFiredEvent -= OnFired;
    }

    private void OnFiring(object? sender, AgendaEventArgs e)
    {
        _firing++;
        _inAction = true;
        _inserted.Clear();
    }

    private void OnInserted(object? sender, WorkingMemoryEventArgs e)
    {
        if (_inAction && e.Fact.Value is ITracedFact fact) _inserted.Add(fact);
    }

    private void OnFired(object? sender, AgendaEventArgs e)
    {
        _inAction = false;
        var matched = e.Facts.SelectMany(f => f.Value switch
        {
            ITracedFact one => [one.Label],
            IEnumerable<object> many => many.OfType<ITracedFact>().Select(x => x.Label),
            _ => [],
        }).ToImmutableArray();
        foreach (var fact in _inserted)
        {
            var className = fact.Class >= 0 ? _classes[fact.Class] : "";
            foreach (var (unit, figure) in fact.Figures())
                _sink(new RuleFiring(_firing, e.Rule.Name, className, unit, matched, fact.Label, figure));
        }
    }
}
