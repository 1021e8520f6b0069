using Xunit;

namespace ActorMessaging.Testing;

/// <summary>
/// A fact that needs a local Chromium (Debian's <c>chromium</c> package, driven by Playwright): skipped with the
/// reason when it is missing, except on CI (<c>CI=true</c>), where the test runs and fails with the same reason.
/// Playwright never downloads a browser here; the tests launch the one at <see cref="ExecutablePath"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>Set to a Chromium (or Chrome) binary to use instead of <see cref="DefaultExecutablePath"/>.</summary>
    public const string ExecutableVariable = "ACTORMESSAGING_CHROMIUM";

    /// <summary>Where Debian's <c>chromium</c> package installs the browser.</summary>
    public const string DefaultExecutablePath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!IsCi && SkipReason is { } reason)
        {
            Skip = reason;
        }
    }

    /// <summary>The browser to launch: <c>ACTORMESSAGING_CHROMIUM</c> when set, else <see cref="DefaultExecutablePath"/>.</summary>
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } configured ? configured : DefaultExecutablePath;

    /// <summary>Why the browser tests cannot run here, or null when Chromium is installed.</summary>
    public static string? SkipReason => File.Exists(ExecutablePath)
        ? null
        : $"Chromium was not found at '{ExecutablePath}'; install Debian's chromium (apt-get install chromium) "
          + $"or set {ExecutableVariable} to a Chromium binary to run the browser tests.";

    /// <summary>True when the environment variable <c>CI</c> is <c>true</c>: a missing browser then fails tests instead of skipping them.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
