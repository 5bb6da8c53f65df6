using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Cli;

/// <summary>
/// One line of a tab-separated CLI table (<c>runs</c>, <c>audit</c>, <c>ruleset list</c>, <c>ruleset preview</c>):
/// each field with its control characters escaped (<see cref="TextRules.Escape"/>), so that no stored text — an
/// actor, a file name, a reason — can break a line or forge one.
/// </summary>
internal static class Columns
{
    public static string Line(params string[] fields) => string.Join('\t', fields.Select(TextRules.Escape));
}
