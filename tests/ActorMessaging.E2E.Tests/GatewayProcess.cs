using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using ActorMessaging.Testing;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// A standalone gateway (<c>ActorMessaging.Gateway.Host</c>: HTTP API and hub, an Orleans client of the silos) running
/// as a real child process from its build output, joined to the cluster of <see cref="SiloSettings"/>.
/// </summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private const int MaxOutputLines = 300;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);
    private static readonly Lazy<(string Dll, string ProjectFolder)> Gateway = new(LocateGateway);

    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly string _name;
    private bool _disposed;

    private GatewayProcess(Process process, string name, int httpPort)
    {
        _process = process;
        _name = name;
        Address = new Uri($"http://127.0.0.1:{Invariant(httpPort)}/");
    }

    public Uri Address { get; }

    /// <summary>The SignalR hub of this gateway.</summary>
    public Uri HubUri => new(Address, "/hubs/messaging");

    /// <summary>Starts the gateway as a client of the cluster the silos of <paramref name="cluster"/> form; returns once <c>/health</c> answers 200.</summary>
    public static async Task<GatewayProcess> StartAsync(SiloSettings cluster, string name)
    {
        var (dll, projectFolder) = Gateway.Value;
        var httpPort = FreePort.Next();
        var startInfo = new ProcessStartInfo
        {
            FileName = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet",
            WorkingDirectory = projectFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[dll, "--contentRoot", projectFolder, "--urls", $"http://127.0.0.1:{Invariant(httpPort)}"])
        {
            startInfo.ArgumentList.Add(arg);
        }

        var environment = startInfo.Environment;
        environment["DOTNET_ENVIRONMENT"] = "Development";
        environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        environment.Remove("ASPNETCORE_URLS");
        environment.Remove("ASPNETCORE_HTTP_PORTS");
        environment["ActorMessaging__Storage__Provider"] = cluster.Provider.ToString();
        environment["ActorMessaging__Storage__ConnectionString"] = cluster.ConnectionString;
        environment["ActorMessaging__Cluster__ClusterId"] = cluster.ClusterId;
        environment["ActorMessaging__Cluster__ServiceId"] = cluster.ServiceId;
        environment["ActorMessaging__Cluster__GatewayPort"] = Invariant(cluster.GatewayPort);
        environment["Logging__LogLevel__Polly"] = "Warning";

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var gateway = new GatewayProcess(process, name, httpPort);
        process.OutputDataReceived += (_, e) => gateway.Append("out", e.Data);
        process.ErrorDataReceived += (_, e) => gateway.Append("err", e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start '{startInfo.FileName} {dll}'.");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await gateway.WaitHealthyAsync();
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }

        return gateway;
    }

    public string OutputTail(int lines = 60)
    {
        lock (_output)
        {
            var state = _process.HasExited ? $"exited with {_process.ExitCode}" : "running";
            return $"--- gateway '{_name}' (pid {_process.Id}, {state}), last {Math.Min(lines, _output.Count)} lines ---{Environment.NewLine}" +
                string.Join(Environment.NewLine, _output.Skip(Math.Max(0, _output.Count - lines)));
        }
    }

    /// <summary>Crashes the gateway: SIGKILL, so nothing of its shutdown (detaching consumers, deleting live subscriptions) runs.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        if (!_process.WaitForExit(ExitTimeout))
        {
            throw new TimeoutException($"Gateway '{_name}' did not exit within {ExitTimeout.TotalSeconds} s of SIGKILL.{Environment.NewLine}{OutputTail()}");
        }
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

    private async Task WaitHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var health = new Uri(Address, "/health");
        var status = "no answer yet";
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"Gateway '{_name}' exited with code {_process.ExitCode} before {health} answered 200.{Environment.NewLine}{OutputTail()}");
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
            }, $"gateway '{_name}' to answer 200 at {health}", StartTimeout);
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

    // The gateway's own build output: the test project references the host project (without its assembly) so it is built first.
    private static (string Dll, string ProjectFolder) LocateGateway()
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

        var configuration = typeof(GatewayProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var projectFolder = Path.Combine(root.FullName, "gateway", "ActorMessaging.Gateway.Host");
        var dll = Path.Combine(projectFolder, "bin", configuration, "net10.0", "ActorMessaging.Gateway.Host.dll");
        return File.Exists(dll)
            ? (dll, projectFolder)
            : throw new FileNotFoundException($"The gateway was not built: {dll} is missing. Build tests/ActorMessaging.E2E.Tests (it references the gateway host project).", dll);
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
