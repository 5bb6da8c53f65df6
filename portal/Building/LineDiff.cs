using BaiQianWan.Assess.Portal.Models;

namespace BaiQianWan.Assess.Portal.Building;

/// <summary>A line diff (longest common subsequence) between two texts, as shown between ruleset versions.</summary>
public static class LineDiff
{
    /// <summary>The lines of <paramref name="older"/> and <paramref name="newer"/> in order: kept, removed and added.</summary>
    public static IReadOnlyList<DiffLine> Compare(string older, string newer)
    {
        ArgumentNullException.ThrowIfNull(older);
        ArgumentNullException.ThrowIfNull(newer);
        var a = Lines(older);
        var b = Lines(newer);
        // Common prefix and suffix first: versions usually differ in a few places, so the table stays small.
        var start = 0;
        while (start < a.Length && start < b.Length && a[start] == b[start]) start++;
        var endA = a.Length;
        var endB = b.Length;
        while (endA > start && endB > start && a[endA - 1] == b[endB - 1]) { endA--; endB--; }
        var n = endA - start;
        var m = endB - start;
        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
            for (var j = m - 1; j >= 0; j--)
                lcs[i, j] = a[start + i] == b[start + j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        var result = new List<DiffLine>(a.Length + m);
        for (var k = 0; k < start; k++) result.Add(new DiffLine(DiffKind.Same, k + 1, k + 1, a[k]));
        int x = 0, y = 0;
        while (x < n || y < m)
        {
            if (x < n && y < m && a[start + x] == b[start + y])
            {
                result.Add(new DiffLine(DiffKind.Same, start + x + 1, start + y + 1, a[start + x]));
                x++;
                y++;
            }
            else if (y < m && (x == n || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                result.Add(new DiffLine(DiffKind.Added, null, start + y + 1, b[start + y]));
                y++;
            }
            else
            {
                result.Add(new DiffLine(DiffKind.Removed, start + x + 1, null, a[start + x]));
                x++;
            }
        }
        for (var k = 0; k < a.Length - endA; k++) result.Add(new DiffLine(DiffKind.Same, endA + k + 1, endB + k + 1, a[endA + k]));
        return result;
    }

    private static string[] Lines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
}
