namespace BaiQianWan.Assess.Functions.Http;

/// <summary>A request the API refuses, answered as RFC 7807 problem details with this status.</summary>
/// <param name="status">HTTP status.</param>
/// <param name="title">Short summary.</param>
/// <param name="detail">What exactly is wrong.</param>
/// <param name="errors">Every positioned error (<c>FILE:ROW:COLUMN: reason</c> or <c>LINE:COL: message</c>), when there are several.</param>
public sealed class ApiException(int status, string title, string detail, IReadOnlyList<string>? errors = null) : Exception(detail)
{
    /// <summary>HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>Short summary.</summary>
    public string Title { get; } = title;

    /// <summary>Every positioned error, or null.</summary>
    public IReadOnlyList<string>? Errors { get; } = errors;

    /// <summary>400 Bad Request.</summary>
    public static ApiException BadRequest(string detail) => new(StatusCodes.Status400BadRequest, "请求无效", detail);

    /// <summary>404 Not Found.</summary>
    public static ApiException NotFound(string detail) => new(StatusCodes.Status404NotFound, "未找到", detail);

    /// <summary>403 Forbidden.</summary>
    public static ApiException Forbidden() => new(StatusCodes.Status403Forbidden, "无权访问", "令牌没有访问这项资源的权限");
}
