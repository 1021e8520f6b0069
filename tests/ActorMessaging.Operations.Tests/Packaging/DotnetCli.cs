using System.Diagnostics;
using System.Text;

namespace ActorMessaging.Operations.Tests.Packaging;

/// <summary>
/// Runs the <c>dotnet</c> CLI as a user would from a shell (pack, build, nuget locals), bounded by a timeout, and
/// returns what it printed. The test host's own MSBuild variables are not passed on: they point a nested build at the
/// SDK instance that runs the tests.
/// </summary>
internal static class DotnetCli
{
    public static string Executable =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>Runs <c>dotnet <paramref name="arguments"/></c> and returns its output; throws with the output when it fails or overruns.</summary>
    public static async Task<string> RunAsync(string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var startInfo = StartInfo(workingDirectory, arguments, environment);
        var output = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'dotnet {string.Join(' ', startInfo.ArgumentList)}' did not finish within {timeout.TotalSeconds} s.{Environment.NewLine}{Text(output)}");
        }

        // The exit event can come before the last redirected lines; this wait drains them.
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? Text(output)
            : throw new InvalidOperationException($"'dotnet {string.Join(' ', startInfo.ArgumentList)}' exited with {process.ExitCode}.{Environment.NewLine}{Text(output)}");
    }

    public static ProcessStartInfo StartInfo(string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var startInfo = new ProcessStartInfo
        {
            FileName = Executable,
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var inherited in startInfo.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            startInfo.Environment.Remove(inherited);
        }

        // No MSBuild node or build server outlives the command: every process a test starts ends with it.
        startInfo.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        startInfo.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        return startInfo;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
