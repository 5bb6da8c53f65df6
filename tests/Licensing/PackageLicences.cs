using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace BaiQianWan.Assess.Tests.Licensing;

/// <summary>
/// Reads the licence every restored package declares: the package graph from a project's
/// <c>obj/project.assets.json</c>, each package's <c>.nuspec</c> from the package folders named there
/// (normally <c>~/.nuget/packages</c>), and its <c>&lt;license&gt;</c> (an SPDX expression, or a file in
/// the package) or, for old packages, its <c>&lt;licenseUrl&gt;</c>.
/// </summary>
internal static partial class PackageLicences
{
    /// <summary>One package of the graph and what it declares.</summary>
    public sealed record Declared(string Package, string Version, string Licence, string Source);

    /// <summary>Every package library of an assets file with its declared licence.</summary>
    public static IReadOnlyList<Declared> Read(string assetsPath)
    {
        using var assets = JsonDocument.Parse(File.ReadAllBytes(assetsPath));
        var folders = assets.RootElement.GetProperty("packageFolders").EnumerateObject().Select(p => p.Name).ToList();
        var list = new List<Declared>();
        foreach (var library in assets.RootElement.GetProperty("libraries").EnumerateObject())
        {
            if (library.Value.GetProperty("type").GetString() != "package") continue;
            var slash = library.Name.IndexOf('/');
            var (name, version) = (library.Name[..slash], library.Name[(slash + 1)..]);
            var relative = library.Value.GetProperty("path").GetString()!;
            var folder = folders.Select(f => Path.Combine(f, relative)).FirstOrDefault(d => File.Exists(Path.Combine(d, name.ToLowerInvariant() + ".nuspec")))
                         ?? throw new InvalidOperationException($"{assetsPath}: 找不到 {name} {version} 的 .nuspec（先还原：dotnet restore）");
            list.Add(Describe(name, version, folder));
        }
        return list;
    }

    private static Declared Describe(string name, string version, string folder)
    {
        var nuspecPath = Path.Combine(folder, name.ToLowerInvariant() + ".nuspec");
        var metadata = XDocument.Load(nuspecPath).Root!.Elements().First(e => e.Name.LocalName == "metadata");
        var license = metadata.Elements().FirstOrDefault(e => e.Name.LocalName == "license");
        var url = metadata.Elements().FirstOrDefault(e => e.Name.LocalName == "licenseUrl")?.Value.Trim();
        if (license is not null && (string?)license.Attribute("type") == "expression")
            return new Declared(name, version, license.Value.Trim(), nuspecPath);
        if (license is not null && (string?)license.Attribute("type") == "file")
        {
            var file = Path.Combine(folder, license.Value.Trim().Replace('\\', '/'));
            return new Declared(name, version, File.Exists(file) ? "file:" + File.ReadAllText(file) : "file-missing:" + license.Value.Trim(), file);
        }
        return new Declared(name, version, url is { Length: > 0 } ? "url:" + url : "none", nuspecPath);
    }

    /// <summary>
    /// Why a declared licence is not permissive, or null when it is. Non-permissive: the GPL family (AGPL,
    /// GPL, LGPL) and the SSPL, in an SPDX expression (an <c>OR</c> with a permissive choice is fine),
    /// in a licence file's text, or in a licence URL; and a package that declares no licence at all.
    /// </summary>
    public static string? Problem(string licence)
    {
        if (licence == "none") return "没有声明许可证";
        if (licence.StartsWith("file-missing:", StringComparison.Ordinal)) return $"许可证文件 {licence[13..]} 不在包里";
        if (licence.StartsWith("file:", StringComparison.Ordinal))
        {
            var text = licence[5..];
            foreach (var title in new[] { "GNU AFFERO GENERAL PUBLIC LICENSE", "GNU GENERAL PUBLIC LICENSE", "GNU LESSER GENERAL PUBLIC LICENSE", "SERVER SIDE PUBLIC LICENSE" })
                if (text.Contains(title, StringComparison.OrdinalIgnoreCase)) return $"许可证文件是 {title}";
            return null;
        }
        if (licence.StartsWith("url:", StringComparison.Ordinal))
            return CopyleftUrl().IsMatch(licence) ? $"许可证网址 {licence[4..]} 指向 GPL/SSPL 类许可证" : null;
        // An SPDX expression: acceptable when some OR-choice has no non-permissive identifier.
        var choices = licence.Replace("(", " ").Replace(")", " ").Split(" OR ", StringSplitOptions.TrimEntries);
        var bad = choices.Select(c => c.Split([" AND ", " WITH "], StringSplitOptions.TrimEntries).FirstOrDefault(IsCopyleft)).ToList();
        return bad.All(b => b is not null) ? $"许可证 {licence} 不是宽松许可证（{bad[0]}）" : null;
    }

    private static bool IsCopyleft(string spdxId) => CopyleftId().IsMatch(spdxId);

    [GeneratedRegex(@"^(AGPL|GPL|LGPL|SSPL)(-|$)", RegexOptions.IgnoreCase)]
    private static partial Regex CopyleftId();

    [GeneratedRegex(@"(agpl|[^a-z]gpl|lgpl|sspl|server-side-public-license|gnu\.org/licenses)", RegexOptions.IgnoreCase)]
    private static partial Regex CopyleftUrl();
}
