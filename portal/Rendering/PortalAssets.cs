using System.Collections.Frozen;
using System.Security.Cryptography;

namespace BaiQianWan.Assess.Portal.Rendering;

/// <summary>
/// The portal's CSS, JavaScript and icon, embedded in the assembly (no Node build, no files to deploy), each with a
/// content hash for its URL's version and its ETag, so browsers cache them for good.
/// </summary>
public static class PortalAssets
{
    private static readonly FrozenDictionary<string, PortalAsset> All = Load();

    /// <summary>The path prefix assets are served under.</summary>
    public const string Prefix = "/assets/";

    /// <summary>The asset named <paramref name="name"/> (e.g. <c>portal.css</c>), or null.</summary>
    public static PortalAsset? Get(string name) => All.GetValueOrDefault(name);

    /// <summary>Every asset's name.</summary>
    public static IEnumerable<string> Names => All.Keys;

    /// <summary>The URL of an asset, versioned by its hash (<c>/assets/portal.css?v=…</c>).</summary>
    public static string Url(string name) =>
        All.TryGetValue(name, out var asset) ? $"{Prefix}{name}?v={asset.Version}" : throw new ArgumentException($"no asset {name}", nameof(name));

    private static FrozenDictionary<string, PortalAsset> Load()
    {
        var assembly = typeof(PortalAssets).Assembly;
        var assets = new Dictionary<string, PortalAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("portal/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var bytes = memory.ToArray();
            var name = resource["portal/".Length..];
            var type = Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "text/javascript; charset=utf-8",
            };
            var version = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
            assets[name] = new PortalAsset(name, bytes, type, version);
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
