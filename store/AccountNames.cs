using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Store;

/// <summary>The rules for sign-in names, shared by both account stores, the CLI and the portal.</summary>
public static class AccountNames
{
    /// <summary>The longest name accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>The name as stored: trimmed and lower case (names compare case-insensitively, as e-mail addresses do).</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant();
    }

    /// <summary>Null when <paramref name="name"/> (normalized) is a valid sign-in name, otherwise why not, in Chinese.</summary>
    public static string? Problem(string name)
    {
        if (string.IsNullOrEmpty(name)) return "登录名不能为空";
        if (name.Length > MaxLength) return $"登录名最长 {MaxLength} 个字符";
        foreach (var ch in name)
            if (ch is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-' or '@'))
                return $"登录名只能用小写字母、数字和 . _ - @，不能含 '{ch}'";
        return null;
    }

    /// <summary>The refusal of a unit code that is not a code (<see cref="TextRules.CodePattern"/>).</summary>
    public const string UnitCodeProblem = "单位代码只能是 1–32 个字母、数字、_ 或 -";

    /// <summary>Checks an account's fields; throws a <see cref="StoreException"/> (invalid) naming the problem.</summary>
    public static void Check(Account account)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (Problem(account.Name) is { } problem) throw new StoreException(StoreError.Invalid, problem);
        if (string.IsNullOrWhiteSpace(account.DisplayName)) throw new StoreException(StoreError.Invalid, "显示名不能为空");
        if (account.Role == AccountRole.Unit && string.IsNullOrWhiteSpace(account.UnitCode))
            throw new StoreException(StoreError.Invalid, "单位账户必须有单位代码");
        if (account.Role == AccountRole.Unit && !TextRules.IsCode(account.UnitCode)) throw new StoreException(StoreError.Invalid, UnitCodeProblem);
        if (account.Role != AccountRole.Unit && account.UnitCode is not null)
            throw new StoreException(StoreError.Invalid, "只有单位账户才有单位代码");
        if (string.IsNullOrEmpty(account.PasswordHash)) throw new StoreException(StoreError.Invalid, "没有密码");
    }
}
