using System.Collections.Frozen;
using System.Security.Cryptography;
using BaiQianWan.Assess.Store;
using Microsoft.AspNetCore.Identity;

namespace BaiQianWan.Assess.Portal.Auth;

/// <summary>Password hashing (ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>, PBKDF2), rules and one-time passwords.</summary>
public static class Passwords
{
    /// <summary>Shortest password accepted.</summary>
    public const int MinLength = 10;

    private static readonly PasswordHasher<Account> Hasher = new();

    // Letters and digits that cannot be mistaken for each other when read aloud or copied from a printout.
    private const string OneTimeAlphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>A PBKDF2 hash of <paramref name="password"/> in Identity's format (salted, versioned).</summary>
    public static string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return Hasher.HashPassword(null!, password);
    }

    /// <summary>True when <paramref name="password"/> matches <paramref name="hash"/>.</summary>
    public static bool Verify(string hash, string password)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(password);
        try
        {
            return Hasher.VerifyHashedPassword(null!, hash, password) != PasswordVerificationResult.Failed;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Shortest login name (or e-mail local part) a password may not contain; shorter ones would refuse half the alphabet.</summary>
    public const int MinNamePartLength = 3;

    /// <summary>The common passwords refused (lower case), shipped with the product (<c>portal/Auth/common-passwords.txt</c>).</summary>
    public static IReadOnlySet<string> Common => CommonList.Value;

    private static readonly Lazy<FrozenSet<string>> CommonList = new(LoadCommon);

    /// <summary>
    /// Null when <paramref name="password"/> is acceptable for account <paramref name="name"/>, otherwise which rule it breaks
    /// (Chinese): at least <see cref="MinLength"/> characters; not containing the login name, nor the part of an e-mail name
    /// before the <c>@</c>, case-insensitively (names of <see cref="MinNamePartLength"/> characters or more); not one of the
    /// <see cref="Common"/> passwords; at least 4 different characters.
    /// </summary>
    public static string? Problem(string password, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (string.IsNullOrEmpty(password) || password.Length < MinLength) return $"密码至少 {MinLength} 个字符";
        foreach (var part in NameParts(name))
            if (password.Contains(part, StringComparison.OrdinalIgnoreCase)) return "密码不能包含登录名（不分大小写）";
        if (Common.Contains(password.Trim().ToLowerInvariant())) return "密码太常见：它在常用密码清单中，请换一个不易猜到的密码";
        if (password.Distinct().Count() < 4) return "密码太简单：至少要有 4 个不同的字符";
        return null;
    }

    private static IEnumerable<string> NameParts(string name)
    {
        var whole = name.Trim();
        if (whole.Length >= MinNamePartLength) yield return whole;
        if (whole.IndexOf('@') is var at and >= MinNamePartLength) yield return whole[..at];
    }

    /// <summary>A random one-time password of 14 characters (about 80 bits) that meets the rules for <paramref name="name"/>.</summary>
    public static string NewOneTime(string name) => NewOneTime(name, RandomNumberGenerator.GetInt32);

    /// <summary>As <see cref="NewOneTime(string)"/>, drawing with <paramref name="next"/> (an index below its argument): drawn again until it complies.</summary>
    internal static string NewOneTime(string name, Func<int, int> next)
    {
        ArgumentNullException.ThrowIfNull(name);
        Span<char> chars = stackalloc char[14];
        for (var attempt = 0; ; attempt++)
        {
            for (var i = 0; i < chars.Length; i++) chars[i] = OneTimeAlphabet[next(OneTimeAlphabet.Length)];
            var password = new string(chars);
            if (Problem(password, name) is null) return password;
            if (attempt == 1000) throw new InvalidOperationException("no compliant one-time password drawn");
        }
    }

    private static FrozenSet<string> LoadCommon()
    {
        using var stream = typeof(Passwords).Assembly.GetManifestResourceStream("auth/common-passwords.txt")
                           ?? throw new InvalidOperationException("the common password list is not embedded");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
            if (line.Trim() is { Length: > 0 } word && !word.StartsWith('#')) set.Add(word.ToLowerInvariant());
        return set.ToFrozenSet(StringComparer.Ordinal);
    }
}
