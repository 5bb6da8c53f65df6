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

    /// <summary>Null when <paramref name="password"/> is acceptable for account <paramref name="name"/>, otherwise why not (Chinese).</summary>
    public static string? Problem(string password, string name)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinLength) return $"密码至少 {MinLength} 个字符";
        if (string.Equals(password.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase)) return "密码不能与登录名相同";
        if (password.Distinct().Count() < 4) return "密码太简单：至少要有 4 个不同的字符";
        return null;
    }

    /// <summary>A random one-time password of 14 characters (about 80 bits).</summary>
    public static string NewOneTime()
    {
        Span<char> chars = stackalloc char[14];
        for (var i = 0; i < chars.Length; i++) chars[i] = OneTimeAlphabet[RandomNumberGenerator.GetInt32(OneTimeAlphabet.Length)];
        return new string(chars);
    }
}
