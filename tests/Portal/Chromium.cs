using Microsoft.Playwright;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// Debian's Chromium driven by Playwright (its own browser download does not work here, so the browser is the
/// system's, through <c>ExecutablePath</c>; <c>.ci/run</c> installs it with apt). One browser per test class;
/// each test takes a fresh context (its own cookies). Playwright gives every launch a fresh temporary profile.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    /// <summary>Where Debian installs the browser.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] Args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"Chromium is not installed at {ExecutablePath} (apt-get install chromium; .ci/run does this)");
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Args,
            Timeout = 60_000,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        Playwright?.Dispose();
    }

    /// <summary>A fresh context (cookies, storage) at a viewport width: 1280 (desktop) or 375 (phone).</summary>
    public Task<IBrowserContext> ContextAsync(int width, string? baseUrl = null) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = width >= 1000 ? 900 : 800 },
            BaseURL = baseUrl,
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
        });
}
