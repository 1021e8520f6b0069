using Microsoft.AspNetCore.Builder;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The environment a process starts in. An environment the operator set (<c>ASPNETCORE_ENVIRONMENT</c>,
/// <c>DOTNET_ENVIRONMENT</c>, <c>--environment</c>) always wins. Only when none is set does the launch profile's
/// <see cref="VariableName"/> apply: <c>dotnet run</c> starts in Development, while a launch profile that set
/// <c>ASPNETCORE_ENVIRONMENT</c> itself would silently override an operator's Production, authentication included.
/// </summary>
public static class LaunchEnvironment
{
    /// <summary>Set by the launch profiles (<c>Properties/launchSettings.json</c>), never by deployments.</summary>
    public const string VariableName = "ACTORMESSAGING_LAUNCH_ENVIRONMENT";

    private const string EnvironmentArgument = "--environment";

    /// <summary>Options for <c>WebApplication.CreateBuilder</c> with <paramref name="args"/> and the launch profile's environment when nothing else set one.</summary>
    public static WebApplicationOptions Options(string[] args) =>
        new() { Args = args, EnvironmentName = Resolve(args, Environment.GetEnvironmentVariable) };

    /// <summary>The launch profile's environment when no other source names one; null to let the host decide as usual.</summary>
    public static string? Resolve(IReadOnlyList<string> args, Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(variable);
        var setElsewhere = !string.IsNullOrEmpty(variable("ASPNETCORE_ENVIRONMENT"))
            || !string.IsNullOrEmpty(variable("DOTNET_ENVIRONMENT"))
            || args.Any(a => a.Equals(EnvironmentArgument, StringComparison.OrdinalIgnoreCase) || a.StartsWith(EnvironmentArgument + "=", StringComparison.OrdinalIgnoreCase));
        return !setElsewhere && variable(VariableName) is { Length: > 0 } launch ? launch : null;
    }
}
