namespace BaiQianWan.Assess.Portal.Auth;

/// <summary>The headers every portal page is sent with.</summary>
public static class ContentSecurity
{
    /// <summary>
    /// The Content-Security-Policy: scripts, styles and images only from the app itself (no inline script or style),
    /// forms only to the app, never framed.
    /// </summary>
    public const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Every header a page carries, with its value.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Headers { get; } =
    [
        new("Content-Security-Policy", Policy),
        new("X-Content-Type-Options", "nosniff"),
        new("Referrer-Policy", "same-origin"),
        new("X-Frame-Options", "DENY"),
        new("Cache-Control", "no-store"),
    ];
}
