using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Workflow.Imports;

/// <summary>
/// The name an uploaded file is known by (in its errors, the import log, the audit): the last segment of what the
/// sender gave, with every control, format or separator character written as an escape (<c>\n</c>, <c>\t</c>,
/// <c>\u202E</c>; <see cref="TextRules.Escape"/>), at most <see cref="MaxLength"/> characters. Escaped rather than
/// refused: the name is only a label (the content is what is checked), and a file the office's system named oddly
/// should still import, while no name can forge a second line of an error list, log or audit, or turn text around.
/// </summary>
public static class UploadNames
{
    /// <summary>Most characters of a stored name (the escaped form); a longer one is cut and ends with <c>…</c>.</summary>
    public const int MaxLength = 255;

    /// <summary>The stored form of <paramref name="given"/> (a path or a bare name; empty stays empty).</summary>
    public static string Of(string? given)
    {
        var name = TextRules.Escape(Path.GetFileName(given ?? ""));
        if (name.Length <= MaxLength) return name;
        var cut = char.IsHighSurrogate(name[MaxLength - 2]) ? MaxLength - 2 : MaxLength - 1;
        return name[..cut] + "…";
    }
}
