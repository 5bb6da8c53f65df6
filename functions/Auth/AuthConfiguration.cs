using BaiQianWan.Assess.Functions.Hosting;

namespace BaiQianWan.Assess.Functions.Auth;

/// <summary>
/// How callers are authenticated, settled once at start from the <c>Auth</c> section: a shared HS256 key
/// (<c>Auth:SigningKey</c>), an OpenID authority (<c>Auth:Authority</c>), and whether Easy Auth's forwarded identity is
/// trusted (<c>Auth:EasyAuth</c>, only under the Functions host). On its own with none of these and a SQLite store, the
/// app makes a key of its own beside the SQLite file (owner-only) and keeps using it; hosted, it refuses to start.
/// </summary>
public sealed class AuthConfiguration
{
    /// <summary>Suffix of the key file made beside the SQLite file.</summary>
    public const string KeyFileSuffix = ".signing-key";

    private AuthConfiguration(AuthOptions options, byte[]? key, bool trustEasyAuth, string? createdKeyFile)
    {
        Options = options;
        SigningKey = key;
        TrustEasyAuth = trustEasyAuth;
        CreatedKeyFile = createdKeyFile;
    }

    /// <summary>The section as configured.</summary>
    public AuthOptions Options { get; }

    /// <summary>The HS256 key, or null when tokens come from the authority (or only Easy Auth is used).</summary>
    public byte[]? SigningKey { get; }

    /// <summary>Easy Auth's <c>X-MS-CLIENT-PRINCIPAL</c> is read (hosted and <c>Auth:EasyAuth</c> on).</summary>
    public bool TrustEasyAuth { get; }

    /// <summary>The key file made at this start, if one was.</summary>
    public string? CreatedKeyFile { get; }

    /// <summary>Reads and checks the settings; throws <see cref="ConfigurationException"/> saying what to set.</summary>
    /// <param name="configuration">App configuration.</param>
    /// <param name="hosted">True under the Functions host.</param>
    public static AuthConfiguration Resolve(IConfiguration configuration, bool hosted)
    {
        var options = configuration.GetSection("Auth").Get<AuthOptions>() ?? new AuthOptions();
        var trustEasyAuth = hosted && options.EasyAuth;
        if (!string.IsNullOrWhiteSpace(options.SigningKey))
            return new AuthConfiguration(options, Decode(options.SigningKey, "Auth:SigningKey"), trustEasyAuth, null);
        if (!string.IsNullOrWhiteSpace(options.Authority))
        {
            if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
                throw new ConfigurationException($"Auth:Authority 应为 OpenID Connect 颁发者的 https 地址，这里是 '{options.Authority}'");
            // The signing keys come from there: over plain HTTP anyone on the path could hand the app keys of their own.
            // Only a local identity provider on one machine may be http.
            if (hosted && authority.Scheme != "https")
                throw new ConfigurationException($"托管时 Auth:Authority 必须是 https 地址（签名密钥从那里取得），这里是 '{options.Authority}'");
            return new AuthConfiguration(options, null, trustEasyAuth, null);
        }
        if (trustEasyAuth) return new AuthConfiguration(options, null, true, null);
        if (hosted || StoreSetup.Kind(configuration) != "sqlite")
            throw new ConfigurationException(
                "没有配置令牌验证：请设置 Auth__SigningKey（base64，至少 32 字节）或 Auth__Authority" + (hosted ? "，或开启 Auth__EasyAuth" : ""));
        var file = Path.GetFullPath(StoreSetup.SqlitePath(configuration)) + KeyFileSuffix;
        if (File.Exists(file)) return new AuthConfiguration(options, Decode(File.ReadAllText(file), file), false, null);
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var writer = new StreamWriter(file, System.Text.Encoding.ASCII, create);
            writer.Write(Convert.ToBase64String(key));
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another process made it first: use theirs.
            return new AuthConfiguration(options, Decode(File.ReadAllText(file), file), false, null);
        }
        return new AuthConfiguration(options, key, false, file);
    }

    private static byte[] Decode(string text, string where)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new ConfigurationException($"{where} 不是有效的 base64");
        }
        if (key.Length < 32) throw new ConfigurationException($"{where} 只有 {key.Length} 字节；HS256 至少需要 32 字节");
        return key;
    }
}
