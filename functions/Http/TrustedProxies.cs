using System.Net;

namespace BaiQianWan.Assess.Functions.Http;

/// <summary>
/// The proxies whose <c>X-Forwarded-Proto</c> and <c>X-Forwarded-Host</c> are believed, so that a request that reached the
/// proxy over https is treated as https (Secure cookies, HSTS, the same-origin check): the addresses or networks in
/// <c>ForwardedHeaders:KnownProxies</c> (comma-separated, e.g. <c>10.0.0.4, 10.1.0.0/16</c>), and, under the Functions host,
/// the loopback address the host forwards from. From anyone else the headers are ignored.
/// </summary>
public sealed class TrustedProxies
{
    /// <summary>The configuration key.</summary>
    public const string Setting = "ForwardedHeaders:KnownProxies";

    private readonly List<IPNetwork> _networks = [];
    private readonly bool _loopback;

    /// <summary>Reads <see cref="Setting"/>; a malformed entry stops the start with a line saying which.</summary>
    public TrustedProxies(IConfiguration configuration, bool hosted)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _loopback = hosted;
        foreach (var entry in (configuration[Setting] ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(entry, out var network)) _networks.Add(network);
            else if (IPAddress.TryParse(entry, out var address)) _networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            else throw new Hosting.ConfigurationException($"{Setting} 中的 '{entry}' 不是 IP 地址或网段");
        }
    }

    /// <summary>True when <paramref name="remote"/> is a proxy whose forwarded headers are believed.</summary>
    public bool Trusts(IPAddress? remote)
    {
        if (remote is null) return false;
        if (remote.IsIPv4MappedToIPv6) remote = remote.MapToIPv4();
        if (_loopback && IPAddress.IsLoopback(remote)) return true;
        return _networks.Any(n => n.Contains(remote));
    }

    /// <summary>
    /// From a trusted proxy, the request takes the scheme and host the client used (the first of each header's values:
    /// the one the outermost proxy saw). Anything but <c>http</c> or <c>https</c>, or a malformed host, is ignored.
    /// </summary>
    public void Apply(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!Trusts(http.Connection.RemoteIpAddress)) return;
        var request = http.Request;
        var proto = First(request.Headers["X-Forwarded-Proto"].ToString());
        if (proto.Equals("https", StringComparison.OrdinalIgnoreCase)) request.Scheme = "https";
        else if (proto.Equals("http", StringComparison.OrdinalIgnoreCase)) request.Scheme = "http";
        var host = First(request.Headers["X-Forwarded-Host"].ToString());
        if (host.Length > 0 && Uri.CheckHostName(HostString.FromUriComponent(host).Host) != UriHostNameType.Unknown
            && host.All(c => c > ' ' && c < 0x7f && c is not ('/' or '\\' or '@' or '?' or '#')))
            request.Host = HostString.FromUriComponent(host);
    }

    private static string First(string header) => header.Split(',')[0].Trim();
}
