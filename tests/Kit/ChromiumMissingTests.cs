namespace BaiQianWan.Assess.Tests.Kit;

/// <summary>Without Chromium, a browser test says what it looked for and how to install it (no browser is started here).</summary>
public class ChromiumMissingTests
{
    [Fact]
    public async Task A_missing_browser_is_named_with_its_path_and_the_package_to_install()
    {
        var chromium = new Chromium("/nonexistent/bin/chromium");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(chromium.InitializeAsync);
        Assert.Equal("Chromium is not installed: the browser tests look for /nonexistent/bin/chromium; install it with `apt-get install chromium` (.ci/run does this)", e.Message);
    }
}
