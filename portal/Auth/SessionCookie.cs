using System.Globalization;

namespace BaiQianWan.Assess.Portal.Auth;

/// <summary>The portal's cookies as <c>Set-Cookie</c> values: HttpOnly, <c>SameSite=Strict</c>, path <c>/</c>, Secure over HTTPS.</summary>
public static class SessionCookie
{
    /// <summary>The session cookie's name.</summary>
    public const string Name = "bqw_session";

    /// <summary>A <c>Set-Cookie</c> value for <paramref name="name"/> = <paramref name="value"/>, expiring at <paramref name="expires"/> (null: a browser-session cookie).</summary>
    public static string Format(string name, string value, DateTimeOffset? expires, bool secure)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        var text = $"{name}={value}; Path=/; HttpOnly; SameSite=Strict";
        if (expires is { } at) text += "; Expires=" + at.UtcDateTime.ToString("R", CultureInfo.InvariantCulture);
        if (secure) text += "; Secure";
        return text;
    }

    /// <summary>A <c>Set-Cookie</c> value that removes <paramref name="name"/> (sign-out).</summary>
    public static string Clear(string name, bool secure) => Format(name, "", DateTimeOffset.UnixEpoch, secure);
}
