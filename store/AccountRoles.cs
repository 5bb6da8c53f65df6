namespace BaiQianWan.Assess.Store;

/// <summary>The text forms of <see cref="AccountRole"/>: the token claim value and the Chinese label.</summary>
public static class AccountRoles
{
    /// <summary>The claim and storage value: <c>office</c>, <c>author</c> or <c>unit</c>.</summary>
    public static string ToClaim(this AccountRole role) => role switch
    {
        AccountRole.Office => "office",
        AccountRole.Author => "author",
        AccountRole.Unit => "unit",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    /// <summary>The Chinese name shown to users.</summary>
    public static string ToChinese(this AccountRole role) => role switch
    {
        AccountRole.Office => "考核办",
        AccountRole.Author => "规则作者",
        AccountRole.Unit => "单位",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    /// <summary>Parses a claim value (case-insensitive); false for anything else.</summary>
    public static bool TryParse(string? text, out AccountRole role)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "office": role = AccountRole.Office; return true;
            case "author": role = AccountRole.Author; return true;
            case "unit": role = AccountRole.Unit; return true;
            default: role = default; return false;
        }
    }
}
