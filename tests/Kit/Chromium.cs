using Deque.AxeCore.Commons;
using Microsoft.Playwright;
using Newtonsoft.Json.Linq;

namespace BaiQianWan.Assess.Tests.Kit;

/// <summary>
/// Debian's Chromium driven by Playwright (its own browser download does not work here, so the browser is the
/// system's, through <c>ExecutablePath</c>; <c>.ci/run</c> installs it with apt). One browser per test class;
/// each test takes a fresh context (its own cookies). Playwright gives every launch a fresh temporary profile.
/// Where the browser is missing or does not start, every test of the class fails with <see cref="Missing"/> or the
/// launch's own reason beside the path and the package to install, never a bare Playwright exception.
/// <see cref="AxeAsync"/> runs axe-core on a page.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    /// <summary>Where Debian installs the browser.</summary>
    public const string DebianPath = "/usr/bin/chromium";

    /// <summary>The system's browser.</summary>
    public Chromium() : this(DebianPath) { }

    /// <summary>The browser at <paramref name="executablePath"/> (a test of the message when it is missing).</summary>
    internal Chromium(string executablePath) => ExecutablePath = executablePath;

    /// <summary>The browser this fixture starts.</summary>
    public string ExecutablePath { get; }

    private static readonly string[] Args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>What a browser test says when the browser is not there.</summary>
    public string Missing =>
        $"Chromium is not installed: the browser tests look for {ExecutablePath}; install it with `apt-get install chromium` (.ci/run does this)";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath)) throw new InvalidOperationException(Missing);
        try
        {
            Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
            Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Args,
                Timeout = 60_000,
            });
        }
        catch (PlaywrightException e)
        {
            throw new InvalidOperationException(
                $"Chromium at {ExecutablePath} did not start ({e.Message.Split('\n')[0]}); reinstall it with `apt-get install --reinstall chromium`", e);
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        Playwright?.Dispose();
    }

    /// <summary>axe-core's script, the copy Deque.AxeCore.Commons carries (the one its <c>RunAxe</c> injects).</summary>
    private static readonly Lazy<string> AxeSource = new(() =>
    {
        using var stream = typeof(AxeResult).Assembly.GetManifestResourceStream("Deque.AxeCore.Commons.Resources.axe.min.js")
            ?? throw new InvalidOperationException("axe.min.js is not among Deque.AxeCore.Commons' resources");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>
    /// axe-core on the page as it is now (the whole document, every rule axe enables by default), its violations each with
    /// every node. It is <c>axe.run</c> in the page itself, which is what Deque's <c>page.RunAxe()</c> does for a page without
    /// frames, minus that method's cross-frame machinery (a partial run, then a second browser page to finish it, each
    /// with axe injected), about three times the cost; and with <c>resultTypes: ['violations']</c>, so that passes and
    /// inapplicable rules list one node each rather than every node checked (the tests read the violations only).
    /// </summary>
    public static async Task<AxeResult> AxeAsync(IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object' && typeof window.axe.run === 'function'"))
            await page.EvaluateAsync(AxeSource.Value);
        var json = await page.EvaluateAsync<string>("async () => JSON.stringify(await axe.run(document, { resultTypes: ['violations'] }))");
        return new AxeResult(JObject.Parse(json));
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
