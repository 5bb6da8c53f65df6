using System.Text.RegularExpressions;
using BaiQianWan.Assess.Tests.Functions;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// A test class with its own app on a fresh SQLite store in a temporary folder (deleted afterwards), driving the portal's
/// forms over HTTP with the antiforgery token a page carries.
/// </summary>
public abstract partial class PortalAppTest : IDisposable
{
    private readonly string _dir;

    protected PortalAppTest(string name)
    {
        _dir = Directory.CreateTempSubdirectory($"bqw-{name}-").FullName;
        App = new AssessAppFactory("sqlite", Path.Combine(_dir, "a.db"));
    }

    /// <summary>The app under test.</summary>
    protected AssessAppFactory App { get; }

    /// <summary>The antiforgery token of the first form in <paramref name="html"/> (a page or one form's markup).</summary>
    protected static string AntiforgeryToken(string html)
    {
        var match = TokenField().Match(html);
        Assert.True(match.Success, "the markup carries an antiforgery field");
        return match.Groups[1].Value;
    }

    public void Dispose()
    {
        App.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    [GeneratedRegex("""name="__af" value="([^"]+)" """)]
    private static partial Regex TokenField();
}
