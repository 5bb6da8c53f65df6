namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>Files of the repository the tests read (host.json, the functions app).</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "host.json")) && File.Exists(System.IO.Path.Combine(dir.FullName, "BaiQianWan.Assess.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException("repository root (host.json) not found above " + AppContext.BaseDirectory);
    }
}
