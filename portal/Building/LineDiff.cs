using BaiQianWan.Assess.Portal.Models;

namespace BaiQianWan.Assess.Portal.Building;

/// <summary>A line diff (longest common subsequence) between two texts, as shown between ruleset versions.</summary>
public static class LineDiff
{
    /// <summary>How many unchanged lines a hunk shows around its changes.</summary>
    public const int Context = 3;

    /// <summary>
    /// The lines of <paramref name="older"/> and <paramref name="newer"/> in order: kept, removed and added. Where lines were
    /// replaced, the removed ones come before the added ones.
    /// </summary>
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
            else if (x < n && (y == m || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                result.Add(new DiffLine(DiffKind.Removed, start + x + 1, null, a[start + x]));
                x++;
            }
            else
            {
                result.Add(new DiffLine(DiffKind.Added, null, start + y + 1, b[start + y]));
                y++;
            }
        }
        for (var k = 0; k < a.Length - endA; k++) result.Add(new DiffLine(DiffKind.Same, endA + k + 1, endB + k + 1, a[endA + k]));
        return result;
    }

    /// <summary>
    /// The changed lines of a diff with up to <paramref name="context"/> unchanged lines before and after each change; changes
    /// closer than twice that share a hunk. Each hunk counts the unchanged lines left out before it (the last one also those
    /// after it). No hunk when nothing changed.
    /// </summary>
    public static IReadOnlyList<DiffHunk> Hunks(IReadOnlyList<DiffLine> lines, int context = Context)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentOutOfRangeException.ThrowIfNegative(context);
        var show = new bool[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Kind == DiffKind.Same) continue;
            for (var k = Math.Max(0, i - context); k <= Math.Min(lines.Count - 1, i + context); k++) show[k] = true;
        }
        var hunks = new List<DiffHunk>();
        var hidden = 0;
        for (var i = 0; i < lines.Count;)
        {
            if (!show[i]) { hidden++; i++; continue; }
            var from = i;
            while (i < lines.Count && show[i]) i++;
            hunks.Add(new DiffHunk(hidden, [.. lines.Skip(from).Take(i - from)], 0));
            hidden = 0;
        }
        if (hunks.Count > 0 && hidden > 0) hunks[^1] = hunks[^1] with { HiddenAfter = hidden };
        return hunks;
    }

    private static string[] Lines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
}
