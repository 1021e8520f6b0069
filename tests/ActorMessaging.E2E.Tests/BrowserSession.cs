using Microsoft.Playwright;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// One test's browser context and page, recording what would otherwise go unnoticed: uncaught script errors and
/// console errors (a blocked script or style under the console's Content-Security-Policy shows up there).
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];

    public BrowserSession(IBrowserContext context, IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        _context = context;
        Page = page;
        page.PageError += (_, error) => Record($"uncaught: {error}");
        page.Console += (_, message) =>
        {
            // Chromium logs every HTTP error status as "Failed to load resource"; tests provoke some on purpose.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                Record($"console: {message.Text}");
            }
        };
    }

    public IPage Page { get; }

    /// <summary>Fails when the page had a script error or logged an error.</summary>
    public void AssertNoErrors()
    {
        lock (_errors)
        {
            Assert.True(_errors.Count == 0, "The page reported errors:\n" + string.Join('\n', _errors));
        }
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();

    private void Record(string error)
    {
        lock (_errors)
        {
            _errors.Add(error);
        }
    }
}
