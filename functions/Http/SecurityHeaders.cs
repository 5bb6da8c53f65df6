namespace BaiQianWan.Assess.Functions.Http;

/// <summary>Headers every answer carries: no content sniffing, no referrer, and a policy that lets nothing run or load.</summary>
public static class SecurityHeaders
{
    /// <summary>The API's content security policy: its answers are data and files, never pages.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>Sets the headers (before anything is written); a function may set its own CSP afterwards.</summary>
    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers["X-Content-Type-Options"] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
    }
}
