using System.Collections.Immutable;

namespace BaiQianWan.Assess.Rules.Engine;

/// <summary>
/// One line of the trace: a rule firing (from NRules' session events) and one figure it produced. A firing that
/// produced figures for many units gives one line per unit; a class-wide figure has no unit.
/// </summary>
/// <param name="Firing">1-based number of the firing in the session.</param>
/// <param name="Rule">The rule's name, e.g. <c>indicator:fai</c>, <c>bonus:national_honor</c>, <c>list:red</c>.</param>
/// <param name="Class">The class the firing was about.</param>
/// <param name="Unit">The unit code, or null for a class-wide figure.</param>
/// <param name="Matched">The facts the rule matched, e.g. <c>observations[创先/fai]</c>.</param>
/// <param name="Produced">The fact the figure belongs to, e.g. <c>scores[创先/fai]</c>.</param>
/// <param name="Figure">The figure, as text (a score, a metric, a rank, a grade, a list).</param>
public sealed record RuleFiring(int Firing, string Rule, string Class, string? Unit, ImmutableArray<string> Matched, string Produced, string Figure);
