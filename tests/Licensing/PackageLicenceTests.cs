namespace BaiQianWan.Assess.Tests.Licensing;

/// <summary>
/// The product is MIT-licensed: no package in the restored graph of any project may carry a
/// non-permissive licence (AGPL, GPL, LGPL, SSPL). PDFsharp 6.5 declared AGPL-3.0; 6.2.4 is MIT.
/// </summary>
public sealed class PackageLicenceTests
{
    [Fact]
    public void Every_restored_package_declares_a_permissive_licence()
    {
        var root = Root();
        var projects = File.ReadAllLines(Path.Combine(root, "BaiQianWan.Assess.sln"))
            .Where(l => l.StartsWith("Project(", StringComparison.Ordinal) && l.Contains(".csproj", StringComparison.Ordinal))
            .Select(l => l.Split('"')[5].Replace('\\', '/'))
            .ToList();
        // The tests' own graph is always restored (it holds every project but the bench); the others
        // are read when restored, as `dotnet test BaiQianWan.Assess.sln` does. Projects generated during a
        // build count too: the Functions worker SDK's extension project (obj/…/WorkerExtensions), whose
        // packages ship with the app.
        var assets = projects.Select(p => Path.Combine(root, Path.GetDirectoryName(p)!, "obj"))
            .SelectMany(obj => Directory.Exists(obj) ? Directory.EnumerateFiles(obj, "project.assets.json", SearchOption.AllDirectories) : [])
            .ToList();
        Assert.Contains(assets, a => a.Contains($"tests{Path.DirectorySeparatorChar}obj", StringComparison.Ordinal));
        if (File.ReadAllText(Path.Combine(root, "functions", "BaiQianWan.Assess.Functions.csproj")).Contains("Microsoft.Azure.Functions.Worker.Sdk", StringComparison.Ordinal))
            Assert.Contains(assets, a => a.Contains("WorkerExtensions", StringComparison.Ordinal));

        var declared = assets.SelectMany(PackageLicences.Read).DistinctBy(d => (d.Package, d.Version)).ToList();
        Assert.Contains(declared, d => d.Package == "PDFsharp" && d.Licence == "MIT");
        var problems = declared.Select(d => (d, Problem: PackageLicences.Problem(d.Licence))).Where(x => x.Problem is not null)
            .Select(x => $"{x.d.Package} {x.d.Version}: {x.Problem} ({x.d.Source})").ToList();
        Assert.True(problems.Count == 0, "非宽松许可证的包：\n" + string.Join("\n", problems));
    }

    [Fact]
    public void A_package_declaring_the_AGPL_is_found()
    {
        using var fixture = new PackageFixture();
        fixture.Add("Fixture.Permissive", "1.0.0", """<license type="expression">MIT</license>""");
        fixture.Add("Fixture.Agpl", "6.5.0", """<license type="expression">AGPL-3.0-only</license>""");
        fixture.Add("Fixture.Choice", "2.0.0", """<license type="expression">(MIT OR GPL-2.0-or-later)</license>""");
        fixture.Add("Fixture.GplFile", "1.2.0", """<license type="file">COPYING</license>""", ("COPYING", "GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007"));
        fixture.Add("Fixture.SsplUrl", "0.1.0", """<licenseUrl>https://www.mongodb.com/licensing/server-side-public-license</licenseUrl>""");

        var declared = PackageLicences.Read(fixture.WriteAssets());

        var problems = declared.Where(d => PackageLicences.Problem(d.Licence) is not null).Select(d => d.Package).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["Fixture.Agpl", "Fixture.GplFile", "Fixture.SsplUrl"], problems);
        Assert.Equal("许可证 AGPL-3.0-only 不是宽松许可证（AGPL-3.0-only）", PackageLicences.Problem(declared.Single(d => d.Package == "Fixture.Agpl").Licence));
    }

    [Theory]
    [InlineData("MIT", null)]
    [InlineData("Apache-2.0 AND BSD-3-Clause", null)]
    [InlineData("MS-PL OR Apache-2.0", null)]
    [InlineData("GPL-3.0-only WITH Classpath-exception-2.0", "GPL-3.0-only")]
    [InlineData("MIT AND LGPL-2.1-or-later", "LGPL-2.1-or-later")]
    [InlineData("SSPL-1.0", "SSPL-1.0")]
    [InlineData("none", "没有声明许可证")]
    public void Expressions_are_judged_by_their_identifiers(string licence, string? named)
    {
        var problem = PackageLicences.Problem(licence);
        if (named is null) Assert.Null(problem);
        else Assert.Contains(named, problem);
    }

    private static string Root()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "BaiQianWan.Assess.sln"))) root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("找不到 BaiQianWan.Assess.sln");
        return root;
    }

    /// <summary>A package folder and an assets file naming its packages, as a restore leaves them.</summary>
    private sealed class PackageFixture : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("bqw-licences-").FullName;
        private readonly List<(string Name, string Version)> _packages = [];

        private string Packages => Path.Combine(_dir, "packages");

        public void Add(string name, string version, string licenceXml, params (string File, string Text)[] files)
        {
            var folder = Path.Combine(Packages, name.ToLowerInvariant(), version);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, name.ToLowerInvariant() + ".nuspec"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
                  <metadata>
                    <id>{name}</id>
                    <version>{version}</version>
                    <authors>fixture</authors>
                    {licenceXml}
                    <description>fixture</description>
                  </metadata>
                </package>
                """);
            foreach (var (file, text) in files) File.WriteAllText(Path.Combine(folder, file), text);
            _packages.Add((name, version));
        }

        public string WriteAssets()
        {
            var libraries = string.Join(",\n", _packages.Select(p =>
                $$"""    "{{p.Name}}/{{p.Version}}": { "type": "package", "path": "{{p.Name.ToLowerInvariant()}}/{{p.Version}}" }"""));
            var path = Path.Combine(_dir, "project.assets.json");
            File.WriteAllText(path, $$"""
                {
                  "version": 3,
                  "libraries": {
                {{libraries}},
                    "BaiQianWan.Assess.Rules/1.0.0": { "type": "project", "path": "../rules/BaiQianWan.Assess.Rules.csproj" }
                  },
                  "packageFolders": { "{{Packages.Replace("\\", "\\\\") + "/"}}": {} }
                }
                """);
            return path;
        }

        public void Dispose() => Directory.Delete(_dir, recursive: true);
    }
}
