using System.Collections.Immutable;

namespace BaiQianWan.Assess.Rules.Model;

/// <summary>How units are graded within their class.</summary>
public sealed record GradeScheme(GradeBasis By, ImmutableArray<GradeLevel> Levels)
{
    /// <summary>The index of a level by name, or −1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Levels.Length; i++)
            if (string.Equals(Levels[i].Name, name, StringComparison.Ordinal)) return i;
        return -1;
    }
}
