using BaiQianWan.Assess.Tests.Functions;

namespace BaiQianWan.Assess.Tests.Kit;

/// <summary>The functions app's build output (<c>functions/bin/CONFIG/net10.0</c>), where the SDK writes functions.metadata.</summary>
internal static class BuiltApp
{
    public static string Directory { get; } = Find();

    public static string Dll => Path.Combine(Directory, "BaiQianWan.Assess.Functions.dll");

    private static string Find()
    {
        var testBin = Path.GetDirectoryName(typeof(BuiltApp).Assembly.Location)!;
        var configuration = new DirectoryInfo(testBin).Parent!.Name; // tests/bin/<Configuration>/net10.0
        var directory = Repository.Path("functions", "bin", configuration, "net10.0");
        Assert.True(File.Exists(Path.Combine(directory, "functions.metadata")), $"the functions app is not built: {directory}");
        return directory;
    }
}
