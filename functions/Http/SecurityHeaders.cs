namespace BaiQianWan.Assess.Functions.Http;

/// <summary>
/// Headers every answer carries: no content sniffing, no referrer, a policy that lets nothing run or load; HSTS over
/// https; and, for anything a caller had to be authenticated for, <c>Cache-Control: no-store</c> (a function may set its
/// own afterwards, as the downloads do with their ETags).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The API's content security policy: its answers are data and files, never pages.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>HSTS, sent over https only (a year).</summary>
    public const string StrictTransportSecurity = "max-age=31536000";

    /// <summary>Sets the headers (before anything is written); a function may set its own CSP afterwards.</summary>
    /// <param name="http">The exchange (its scheme as <see cref="TrustedProxies"/> settled it).</param>
    /// <param name="authenticated">True when the answer may depend on who asked: not to be stored by any cache.</param>
    public static void Apply(HttpContext http, bool authenticated = false)
    {
        ArgumentNullException.ThrowIfNull(http);
        var headers = http.Response.Headers;
        headers["X-Content-Type-Options"] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        if (http.Request.IsHttps) headers.StrictTransportSecurity = StrictTransportSecurity;
        if (authenticated) headers.CacheControl = "no-store";
    }
}
