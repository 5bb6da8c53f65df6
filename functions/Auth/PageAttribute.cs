using BaiQianWan.Assess.Portal.Auth;

namespace BaiQianWan.Assess.Functions.Auth;

/// <summary>
/// A portal page (a function of <see cref="Policies.Portal"/>) and the <see cref="Right"/> it needs, declared once on the
/// page's function and read once per request by <see cref="FunctionGate"/> before the page runs: an anonymous visitor is
/// sent to sign in, an account that must change its password to do so, and a caller without the right gets the 403 page
/// (the same whatever the page would have shown). <c>[Page]</c> without a right is a page open to every visitor (home,
/// sign-in); every portal function carries one or the other (<see cref="Hosting.HttpFunctionCatalog"/> refuses to start
/// otherwise). A page's builder then decides only which unit or class the caller may see (<see cref="AccessPolicy"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PageAttribute : Attribute
{
    /// <summary>A page open to every visitor (it decides itself what an anonymous one sees).</summary>
    public PageAttribute()
    {
    }

    /// <summary>A page that needs <paramref name="right"/>.</summary>
    public PageAttribute(Right right) => Right = right;

    /// <summary>The right the page needs, or null for a page open to every visitor.</summary>
    public Right? Right { get; }

    /// <summary>
    /// JSON for a page's script rather than a page: refused with a bare status, 401 for nobody and 403 for a caller without
    /// the right (or who must change a one-time password first), never a redirect or an HTML page.
    /// </summary>
    public bool Script { get; set; }
}
