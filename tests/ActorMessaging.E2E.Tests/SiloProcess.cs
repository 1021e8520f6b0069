using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using ActorMessaging.Testing;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// <c>ActorMessaging.Silo</c> running as a real child process from its build output. <see cref="Kill"/>
/// is a crash (SIGKILL: no shutdown code runs); <see cref="StopAsync"/> is a clean shutdown (SIGTERM).
/// The process output is kept (the last lines) for failure messages.
/// </summary>
internal sealed partial class SiloProcess : IAsyncDisposable
{
    private const int MaxOutputLines = 500;
    private const int SigTerm = 15;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);
    private static readonly Lazy<(string Dll, string ProjectFolder)> Silo = new(LocateSilo);

    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly string _name;

    private SiloProcess(Process process, string name, SiloSettings settings)
    {
        _process = process;
        _name = name;
        Settings = settings;
    }

    public SiloSettings Settings { get; }

    /// <summary>Starts the silo and returns once <c>/health</c> answers 200.</summary>
    /// <param name="settings">Store and ports.</param>
    /// <param name="name">Names this process in diagnostics, e.g. "after the crash".</param>
    public static async Task<SiloProcess> StartAsync(SiloSettings settings, string name)
    {
        var (dll, projectFolder) = Silo.Value;
        var startInfo = new ProcessStartInfo
        {
            FileName = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet",
            WorkingDirectory = projectFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[dll, "--contentRoot", projectFolder, "--urls", $"http://127.0.0.1:{Invariant(settings.HttpPort)}"])
        {
            startInfo.ArgumentList.Add(arg);
        }

        var environment = startInfo.Environment;
        environment["DOTNET_ENVIRONMENT"] = "Development";
        environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        environment.Remove("ASPNETCORE_URLS");
        environment.Remove("ASPNETCORE_HTTP_PORTS");
        environment["ActorMessaging__Storage__Provider"] = settings.Provider.ToString();
        environment["ActorMessaging__Storage__ConnectionString"] = settings.ConnectionString;
        environment["ActorMessaging__Cluster__ClusterId"] = settings.ClusterId;
        environment["ActorMessaging__Cluster__ServiceId"] = settings.ServiceId;
        environment["ActorMessaging__Cluster__SiloPort"] = Invariant(settings.SiloPort);
        environment["ActorMessaging__Cluster__GatewayPort"] = Invariant(settings.GatewayPort);
        // Loopback only: with PostgreSQL the silo would otherwise advertise the host's network address.
        environment["ActorMessaging__Cluster__AdvertisedAddress"] = "127.0.0.1";
        // Even spread over silos: load-based placement on a busy test machine can put every grain on one silo,
        // and the multi-silo tests need grains on each.
        environment["ActorMessaging__Cluster__Placement"] = "Random";
        // Orleans logs every placement through Polly at Information; keep the buffer for what matters.
        environment["Logging__LogLevel__Polly"] = "Warning";

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var silo = new SiloProcess(process, name, settings);
        process.OutputDataReceived += (_, e) => silo.Append("out", e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append("err", e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start '{startInfo.FileName} {dll}'.");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await silo.WaitHealthyAsync();
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }

        return silo;
    }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last <paramref name="lines"/> lines the process wrote, stdout and stderr interleaved.</summary>
    public string OutputTail(int lines = 80)
    {
        lock (_output)
        {
            return $"--- silo '{_name}' (pid {_process.Id}, {State}), last {Math.Min(lines, _output.Count)} lines ---{Environment.NewLine}" +
                string.Join(Environment.NewLine, _output.Skip(Math.Max(0, _output.Count - lines)));
        }
    }

    /// <summary>Crashes the silo: SIGKILL to the process (tree), then waits until it is gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            // On Linux this is kill(pid, SIGKILL): no finalizer, shutdown hook or flush runs.
            _process.Kill(entireProcessTree: true);
        }

        if (!_process.WaitForExit(ExitTimeout))
        {
            throw new TimeoutException($"Silo '{_name}' did not exit within {ExitTimeout.TotalSeconds} s of SIGKILL.{Environment.NewLine}{OutputTail()}");
        }
    }

    /// <summary>Shuts the silo down cleanly (SIGTERM: grains deactivate and save) and waits for the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited && SendSignal(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill(SIGTERM) failed for silo '{_name}' with errno {Marshal.GetLastPInvokeError()}.");
        }

        using var timeout = new CancellationTokenSource(ExitTimeout);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Silo '{_name}' did not stop within {ExitTimeout.TotalSeconds} s of SIGTERM.{Environment.NewLine}{OutputTail()}");
        }

        return _process.ExitCode;
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Kill();
        }
        finally
        {
            _process.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private string State => _process.HasExited ? $"exited with {_process.ExitCode}" : "running";

    private async Task WaitHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var status = "no answer yet";
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"Silo '{_name}' exited with code {_process.ExitCode} before {Settings.HealthUri} answered 200.{Environment.NewLine}{OutputTail()}");
                }

                try
                {
                    using var response = await http.GetAsync(Settings.HealthUri);
                    status = $"HTTP {(int)response.StatusCode}";
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException exception)
                {
                    status = exception.Message;
                    return false;
                }
                catch (TaskCanceledException)
                {
                    status = "request timed out";
                    return false;
                }
            }, $"silo '{_name}' to answer 200 at {Settings.HealthUri}", StartTimeout);
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"{exception.Message} Last health check: {status}.{Environment.NewLine}{OutputTail()}", exception);
        }
    }

    private void Append(string stream, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue($"{DateTime.Now:HH:mm:ss.fff} [{stream}] {line}");
            if (_output.Count > MaxOutputLines)
            {
                _output.Dequeue();
            }
        }
    }

    // The silo's own build output: the test project references the silo project (without its assembly) so it is built first.
    private static (string Dll, string ProjectFolder) LocateSilo()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ActorMessaging.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"ActorMessaging.sln was not found in any folder above {AppContext.BaseDirectory}.");
        }

        var configuration = typeof(SiloProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var projectFolder = Path.Combine(root.FullName, "silo", "ActorMessaging.Silo");
        var dll = Path.Combine(projectFolder, "bin", configuration, "net10.0", "ActorMessaging.Silo.dll");
        return File.Exists(dll)
            ? (dll, projectFolder)
            : throw new FileNotFoundException($"The silo was not built: {dll} is missing. Build tests/ActorMessaging.E2E.Tests (it references the silo project).", dll);
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
