using System.Collections.Immutable;

namespace BaiQianWan.Assess.Rules.Model;

/// <summary>How units are graded within their class.</summary>
public sealed record GradeScheme(GradeBasis By, ImmutableArray<GradeLevel> Levels)
{
    /// <summary>(v3) No <c>grades</c> in the ruleset: every unit's grade is null.</summary>
    public static GradeScheme None { get; } = new(GradeBasis.RankShare, []);

    /// <summary>(v3) <c>scope: level</c>: rankShare over levelRank and N instead of the class's rank and n.</summary>
    public bool LevelScope { get; init; }

    /// <summary>The index of a level by name, or −1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Levels.Length; i++)
            if (string.Equals(Levels[i].Name, name, StringComparison.Ordinal)) return i;
        return -1;
    }
}
