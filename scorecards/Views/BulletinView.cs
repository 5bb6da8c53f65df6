using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Scorecards.Views;

/// <summary>One unit's line in a bulletin.</summary>
/// <summary>(v3) An excluded unit in its own section of the bulletin, with the reason.</summary>
internal sealed record ExcludedRow(string Name, string Code, string Total, string Reason);

internal sealed record BulletinRow(string Rank, string Name, string Code, string Total, string Grade, string Change, int ChangeSign, bool Red, bool Black, bool Vetoed, bool Incomplete);

/// <summary>Everything a class bulletin prints.</summary>
internal sealed record BulletinView(
    string Title, string Class, string Level, string Period, string Ruleset, bool HasPrevious,
    ImmutableArray<BulletinRow> Rows, ImmutableArray<string> RedList, ImmutableArray<string> BlackList,
    string ClassAverage, string Highest, string Lowest, ImmutableArray<(string Grade, int Count)> Grades, FooterView Footer)
{
    /// <summary>(v3) Units excluded by a veto (取消参评资格): scored, never ranked.</summary>
    public ImmutableArray<ExcludedRow> Excluded { get; init; } = [];

    /// <summary>(v3) False when the ruleset has no grades: the bulletin has no grade column.</summary>
    public bool HasGrades { get; init; } = true;

    public static BulletinView Build(EvaluationResult result, string className, DocumentStamp stamp, EvaluationResult? previous)
    {
        var rs = result.Ruleset;
        if (!rs.Classes.Contains(className) && result.Units.All(u => u.Class != className))
            throw new ArgumentException($"规则集 {rs.Id} 没有类别“{className}”（有：{string.Join("、", rs.Classes)}）", nameof(className));
        var d = rs.Decimals;
        var all = result.Units.Where(u => u.Class == className).ToArray();
        // (v3) excluded units (取消参评资格) are never among the ranked: they get their own section, with the reason.
        var units = all.Where(u => u.Excluded != true).ToArray();
        var excluded = all.Where(u => u.Excluded == true).Select(u => new ExcludedRow(u.Name, u.Code, Formats.Score(u.Total, rs.Decimals),
            string.Join("；", u.Notes.IsDefault ? Enumerable.Empty<string>() : u.Notes.Where(n => n.Contains("取消参评资格", StringComparison.Ordinal))))).ToImmutableArray();
        var before = previous?.Units.ToDictionary(u => u.Code, StringComparer.Ordinal);
        var rows = units.Select(u =>
        {
            var change = "";
            var sign = 0;
            if (before is not null)
            {
                if (before.TryGetValue(u.Code, out var p) && p.Class == u.Class)
                {
                    var delta = p.Rank - u.Rank;
                    sign = Math.Sign(delta);
                    change = delta > 0 ? $"↑{delta}" : delta < 0 ? $"↓{-delta}" : "持平";
                }
                else change = "新参评";
            }
            return new BulletinRow(u.Rank.ToString(System.Globalization.CultureInfo.InvariantCulture), u.Name, u.Code,
                Formats.Score(u.Total, d), u.Grade, change, sign, u.Lists.Contains("red"), u.Lists.Contains("black"),
                !u.Vetoes.IsEmpty, u.Incomplete);
        }).ToImmutableArray();
        var grades = rs.Grades.Select(g => (g, units.Count(u => u.Grade == g))).ToImmutableArray();
        return new BulletinView(
            $"{rs.Name}", className, rs.Level.ToChinese(), result.Period.ToChinese(),
            $"{rs.Name}（{rs.Id}，{Formats.Version(rs.Version)}）", previous is not null, rows,
            [.. units.Where(u => u.Lists.Contains("red")).Select(u => u.Name)],
            [.. units.Where(u => u.Lists.Contains("black")).Select(u => u.Name)],
            Formats.Score(Formats.Average(units.Select(u => u.Total), d), d),
            units.Length == 0 ? "—" : Formats.Score(units.Max(u => u.Total), d),
            units.Length == 0 ? "—" : Formats.Score(units.Min(u => u.Total), d),
            grades, FooterView.Of(result, stamp))
        {
            Excluded = excluded,
            HasGrades = !rs.Grades.IsEmpty,
        };
    }
}
