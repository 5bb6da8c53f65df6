namespace BaiQianWan.Assess.Portal.Building;

/// <summary>A page cannot be shown: 403 (not this user's to see) or 404 (no such thing), with a Chinese message.</summary>
public sealed class PortalException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PortalException(int status, string message) : base(message) => Status = status;

    /// <summary>The HTTP status to answer with.</summary>
    public int Status { get; }

    /// <summary>A 403: the page is not the user's to see (said the same whether or not it exists).</summary>
    public static PortalException Forbidden() => new(403, "您没有权限查看此页面");

    /// <summary>A 404 with what is missing.</summary>
    public static PortalException NotFound(string what) => new(404, what);
}
