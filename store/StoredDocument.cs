namespace BaiQianWan.Assess.Store;

/// <summary>Kinds of rendered document.</summary>
public enum DocumentKind
{
    /// <summary>A unit's scorecard; key = unit code.</summary>
    Scorecard,
    /// <summary>A class's ranking bulletin; key = class name.</summary>
    Bulletin,
}

/// <summary>A rendered PDF kept with its run.</summary>
/// <param name="Kind">Scorecard or bulletin.</param>
/// <param name="Key">Unit code (scorecard) or class name (bulletin).</param>
/// <param name="Content">The PDF bytes.</param>
/// <param name="Sha256">SHA-256 of <paramref name="Content"/>, lowercase hex.</param>
public sealed record StoredDocument(DocumentKind Kind, string Key, byte[] Content, string Sha256)
{
    /// <summary>Wraps bytes, computing their SHA-256.</summary>
    public static StoredDocument Of(DocumentKind kind, string key, byte[] content) =>
        new(kind, key, content, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)));
}

/// <summary>A stored document without its bytes.</summary>
/// <param name="Kind">Scorecard or bulletin.</param>
/// <param name="Key">Unit code or class name.</param>
/// <param name="Sha256">SHA-256 of the bytes.</param>
/// <param name="Length">Size in bytes.</param>
public sealed record DocumentInfo(DocumentKind Kind, string Key, string Sha256, long Length);
