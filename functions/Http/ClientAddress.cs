using System.Net;

namespace BaiQianWan.Assess.Functions.Http;

/// <summary>
/// The address a request came from, for throttling sign-ins. A peer on loopback is a proxy on the same machine (the
/// Functions host in front of its worker, or a reverse proxy in front of the standalone app): then the address is the
/// last one <c>X-Forwarded-For</c> names (the one the nearest outside proxy saw, App Service's front end: its
/// <c>address:port</c> form is read too). So is a proxy configured in <c>ForwardedHeaders:KnownProxies</c>
/// (<see cref="TrustedProxies"/>). Any other peer is the client itself, whatever it sends.
/// </summary>
public static class ClientAddress
{
    /// <summary>The client's address as text, or null when the connection has none (an in-memory test server).</summary>
    public static string? Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var peer = http.Connection.RemoteIpAddress;
        if (peer is null || IPAddress.IsLoopback(peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer)
            || http.RequestServices?.GetService<TrustedProxies>()?.Trusts(peer) == true)
        {
            var forwarded = http.Request.Headers["X-Forwarded-For"].ToString();
            var last = forwarded.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
            if (last is not null && Parse(last) is { } client) return client.ToString();
        }
        return peer?.ToString();
    }

    private static IPAddress? Parse(string text) =>
        IPAddress.TryParse(text, out var ip) ? ip : IPEndPoint.TryParse(text, out var endPoint) ? endPoint.Address : null;
}
