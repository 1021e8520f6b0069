namespace ActorMessaging.E2E.Tests;

/// <summary>
/// One silo slot of a <see cref="ChaosCluster"/>: its settings (ports, store) stay, the process behind it can be killed,
/// frozen, woken and restarted. A restart is a new process (a new Orleans generation) on the same ports.
/// </summary>
internal sealed class ClusterSilo(string name, SiloSettings settings, SiloProcess process)
{
    private readonly List<SiloProcess> _processes = [process];

    public string Name { get; } = name;

    public SiloSettings Settings { get; } = settings;

    /// <summary>The process started last.</summary>
    public SiloProcess Process => _processes[^1];

    /// <summary>Every process this slot started, for clean-up and diagnostics.</summary>
    public IReadOnlyList<SiloProcess> Processes => _processes;

    /// <summary>Whether <see cref="Freeze"/> stopped the process and <see cref="Resume"/> has not woken it yet.</summary>
    public bool IsFrozen { get; private set; }

    /// <summary>The loopback address of its co-hosted gateway (HTTP API and hub).</summary>
    public Uri GatewayAddress => new($"http://127.0.0.1:{Settings.HttpPort}/");

    /// <summary>SIGKILL: no shutdown code runs; the cluster finds out through failed probes.</summary>
    public void Kill()
    {
        Process.Kill();
        IsFrozen = false;
    }

    /// <summary>SIGSTOP: the process keeps its sockets open but answers nothing, as in a partition or a long pause.</summary>
    public void Freeze()
    {
        Process.Freeze();
        IsFrozen = true;
    }

    /// <summary>SIGCONT after <see cref="Freeze"/>.</summary>
    public void Resume()
    {
        Process.Resume();
        IsFrozen = false;
    }

    /// <summary>Kills what is left of the current process and starts a new one on the same settings; returns once it is healthy.</summary>
    public async Task RestartAsync()
    {
        Kill();
        _processes.Add(await SiloProcess.StartAsync(Settings, $"{Name} (start {_processes.Count + 1})"));
    }
}
