using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Runs a host's program so that a setting it refuses ends the process with one line naming the key and exit code 1,
/// rather than an unhandled exception, a stack trace and the runtime's abort (exit code 134). Any other failure is
/// still printed whole: it is a bug, not a setting.
/// </summary>
public static class StartupFailure
{
    /// <summary>The exit code of a process that refused its settings.</summary>
    public const int ExitCode = 1;

    // ConfigurationBinder's message for a value it cannot convert; it names the key ("... at 'ActorMessaging:...' ...").
    private const string BinderFailurePrefix = "Failed to convert configuration value";

    /// <summary>
    /// Checks every <c>ValidateOnStart</c> setting, then runs the host. Checked here rather than by the host's start, so a
    /// refused setting is the one line <see cref="RunAsync(Func{Task{int}}, TextWriter?)"/> prints, not also the host's
    /// "Hosting failed to start" error with a stack trace.
    /// </summary>
    public static async Task RunValidatedAsync(this IHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        host.Services.GetService<IStartupValidator>()?.Validate();
        await host.RunAsync();
    }

    public static async Task<int> RunAsync(Func<Task<int>> program, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        error ??= Console.Error;
        try
        {
            return await program();
        }
        catch (OptionsValidationException exception)
        {
            await error.WriteLineAsync($"ActorMessaging did not start: {string.Join(" ", exception.Failures)}");
            return ExitCode;
        }
        catch (InvalidOperationException exception) when (exception.Message.StartsWith(BinderFailurePrefix, StringComparison.Ordinal))
        {
            await error.WriteLineAsync($"ActorMessaging did not start: {exception.Message}");
            return ExitCode;
        }
        catch (Exception exception)
        {
            await error.WriteLineAsync($"ActorMessaging did not start: {exception}");
            return ExitCode;
        }
    }
}
