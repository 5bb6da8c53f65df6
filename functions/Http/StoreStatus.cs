using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Functions.Http;

/// <summary>
/// The one mapping of a store's refusal to an HTTP status and title, for both hosts: the API's problem details
/// (<see cref="Problems"/>) and the portal's error pages (<see cref="Portal.PortalHttp"/>) answer the same refusal alike.
/// </summary>
public static class StoreStatus
{
    /// <summary>The status for <paramref name="error"/>: 404 not found, 409 conflict or concurrency, 422 invalid, 503 a store that cannot be used.</summary>
    public static int Of(StoreError error) => error switch
    {
        StoreError.NotFound => StatusCodes.Status404NotFound,
        StoreError.Invalid => StatusCodes.Status422UnprocessableEntity,
        StoreError.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status409Conflict,
    };

    /// <summary>The problem title for <paramref name="error"/>.</summary>
    public static string Title(StoreError error) => error switch
    {
        StoreError.NotFound => "未找到",
        StoreError.Conflict => "状态冲突",
        StoreError.Invalid => "数据无效",
        StoreError.Unavailable => "存储不可用",
        _ => "并发冲突，请重试",
    };
}
