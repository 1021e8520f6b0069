using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
namespace ActorMessaging.Testing;

/// <summary>
/// One of the repository's hosts (the silo, a standalone gateway) running as a real child process from its
/// build output. <see cref="Kill"/> is a crash (SIGKILL: no shutdown code runs); <see cref="StopAsync"/> is a
/// clean shutdown (SIGTERM). The last lines of its output are kept for failure messages.
/// </summary>
public sealed partial class DotnetProcess : IAsyncDisposable
{
    private const int MaxOutputLines = 500;
    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigStop = 19;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly string _name;
    private bool _disposed;

    private DotnetProcess(Process process, string name)
    {
        _process = process;
        _name = name;
    }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <paramref name="projectPath"/> (e.g. <c>silo/ActorMessaging.Silo</c>) from its build output in the
    /// Development environment on <paramref name="httpPort"/>, and returns once <c>/health</c> answers 200.
    /// </summary>
    /// <param name="projectPath">The project folder, relative to the repository root; the dll has the folder's name.</param>
    /// <param name="name">Names this process in diagnostics, e.g. "silo after the crash".</param>
    /// <param name="httpPort">The loopback port for <c>--urls</c>.</param>
    /// <param name="environment">Settings as environment variables (<c>ActorMessaging__Storage__Provider</c>...).</param>
    public static async Task<DotnetProcess> StartAsync(string projectPath, string name, int httpPort, IReadOnlyDictionary<string, string> environment)
    {
        var started = Launch(projectPath, name, httpPort, environment);
        try
        {
            await started.WaitHealthyAsync(new Uri($"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}/health"));
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }

        return started;
    }

    /// <summary>
    /// Runs <paramref name="projectPath"/> as <see cref="StartAsync"/> does, for a process expected to end by itself
    /// (a start-up that refuses its settings), and returns its exit code and everything it wrote.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string projectPath, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        await using var run = Launch(projectPath, projectPath, FreePort.Next(), environment);
        if (!await run.WaitForExitAsync(timeout))
        {
            throw new TimeoutException($"'{projectPath}' still ran {timeout.TotalSeconds} s after it started.{Environment.NewLine}{run.OutputTail()}");
        }

        // The exit event can come before the last redirected lines; this wait drains them.
        await run._process.WaitForExitAsync();
        return (run._process.ExitCode, run.OutputTail(MaxOutputLines));
    }

    private static DotnetProcess Launch(string projectPath, string name, int httpPort, IReadOnlyDictionary<string, string> environment)
    {
        var (dll, projectFolder) = Locate(projectPath);
        var startInfo = new ProcessStartInfo
        {
            FileName = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet",
            WorkingDirectory = projectFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[dll, "--contentRoot", projectFolder, "--urls", $"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}"])
        {
            startInfo.ArgumentList.Add(arg);
        }

        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Development";
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        startInfo.Environment.Remove("ASPNETCORE_URLS");
        startInfo.Environment.Remove("ASPNETCORE_HTTP_PORTS");

        // Orleans logs every placement through Polly at Information; keep the buffer for what matters.
        startInfo.Environment["Logging__LogLevel__Polly"] = "Warning";
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var started = new DotnetProcess(process, name);
        process.OutputDataReceived += (_, e) => started.Append("out", e.Data);
        process.ErrorDataReceived += (_, e) => started.Append("err", e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start '{startInfo.FileName} {dll}'.");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>The last <paramref name="lines"/> lines the process wrote, stdout and stderr interleaved.</summary>
    public string OutputTail(int lines = 80)
    {
        lock (_output)
        {
            return $"--- '{_name}' (pid {_process.Id}, {State}), last {Math.Min(lines, _output.Count)} lines ---{Environment.NewLine}" +
                string.Join(Environment.NewLine, _output.Skip(Math.Max(0, _output.Count - lines)));
        }
    }

    /// <summary>Crashes the process: SIGKILL to the process tree, then waits until it is gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            // On Linux this is kill(pid, SIGKILL): no finalizer, shutdown hook or flush runs.
            _process.Kill(entireProcessTree: true);
        }

        if (!_process.WaitForExit(ExitTimeout))
        {
            throw new TimeoutException($"'{_name}' did not exit within {ExitTimeout.TotalSeconds} s of SIGKILL.{Environment.NewLine}{OutputTail()}");
        }
    }

    /// <summary>
    /// Freezes the process (SIGSTOP): it keeps its sockets and memory but runs no code, as in a long GC pause, a VM
    /// migration or a network partition. <see cref="Resume"/> wakes it.
    /// </summary>
    public void Freeze() => Signal(SigStop, "SIGSTOP");

    /// <summary>Wakes a process <see cref="Freeze"/> stopped (SIGCONT).</summary>
    public void Resume() => Signal(SigCont, "SIGCONT");

    /// <summary>Waits until the process has exited by itself; false when it still runs after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Shuts the process down cleanly (SIGTERM: the host stops, grains deactivate and save) and waits for the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited && SendSignal(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill(SIGTERM) failed for '{_name}' with errno {Marshal.GetLastPInvokeError()}.");
        }

        using var timeout = new CancellationTokenSource(ExitTimeout);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"'{_name}' did not stop within {ExitTimeout.TotalSeconds} s of SIGTERM.{Environment.NewLine}{OutputTail()}");
        }

        return _process.ExitCode;
    }

    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            try
            {
                Kill();
            }
            finally
            {
                _process.Dispose();
            }
        }

        return ValueTask.CompletedTask;
    }

    private void Signal(int signal, string name)
    {
        if (!_process.HasExited && SendSignal(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({name}) failed for '{_name}' with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    private string State => _process.HasExited ? $"exited with {_process.ExitCode}" : "running";

    private async Task WaitHealthyAsync(Uri health)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var status = "no answer yet";
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"'{_name}' exited with code {_process.ExitCode} before {health} answered 200.{Environment.NewLine}{OutputTail()}");
                }

                try
                {
                    using var response = await http.GetAsync(health);
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
            }, $"'{_name}' to answer 200 at {health}", StartTimeout);
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

    // The project's own build output: the test project references the host projects (without their assemblies) so they are built first.
    private static (string Dll, string ProjectFolder) Locate(string projectPath)
    {
        var root = RepositoryRoot.Find();
        var configuration = typeof(DotnetProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var projectFolder = Path.Combine(root, projectPath);
        var dll = Path.Combine(projectFolder, "bin", configuration, "net10.0", $"{Path.GetFileName(projectPath)}.dll");
        return File.Exists(dll)
            ? (dll, projectFolder)
            : throw new FileNotFoundException($"{projectPath} was not built: {dll} is missing. Build the test project that starts it (it references the project with ReferenceOutputAssembly=false, so the host is built first).", dll);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
