using ActorMessaging.Testing;
using Microsoft.Playwright;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// One co-hosted platform and one headless Debian Chromium, shared by the browser tests; every test opens its
/// own browser context (<see cref="OpenAsync()"/>). Without Chromium (and not on CI) the host still starts for the
/// tests that need no browser, and the <see cref="ChromiumFactAttribute"/> tests are skipped.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>
    /// Headless, no sandbox (tests run as root), and nothing that reaches out to Google's services: this machine's
    /// network is closed, and background connections would only produce refused-connection noise.
    /// </summary>
    public static readonly IReadOnlyList<string> LaunchArguments =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public BrowserHost Host { get; private set; } = null!;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException(ChromiumFactAttribute.SkipReason ?? "The browser was not launched.");

    public async Task InitializeAsync()
    {
        Host = await BrowserHost.StartAsync();
        if (ChromiumFactAttribute.SkipReason is not null)
        {
            // Elsewhere the browser tests are skipped; on CI they run and fail through Browser with the reason.
            return;
        }

        // Conditions in the tests are awaited with Expect; give them room on a busy two-core machine.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.ExecutablePath,
            Headless = true,
            Args = LaunchArguments,
        });
    }

    /// <summary>A fresh browser context (its own storage, so its own sessionStorage) and page on the shared host.</summary>
    public Task<BrowserSession> OpenAsync() => OpenAsync(Host);

    /// <summary>A fresh browser context and page on <paramref name="host"/>, for tests that need a host of their own.</summary>
    public async Task<BrowserSession> OpenAsync(BrowserHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = host.Address.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-US",
        });
        context.SetDefaultTimeout(15_000);
        return new BrowserSession(context, await context.NewPageAsync());
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }
}
