using System.Globalization;
using ActorMessaging.Testing;

namespace ActorMessaging.E2E.Tests;

/// <summary><c>ActorMessaging.Silo</c> (silo + co-hosted gateway) as a real child process on the store and ports of its <see cref="SiloSettings"/>.</summary>
internal sealed class SiloProcess(DotnetProcess process, SiloSettings settings) : IAsyncDisposable
{
    public SiloSettings Settings { get; } = settings;

    public int ProcessId => process.ProcessId;

    public bool HasExited => process.HasExited;

    /// <summary>Starts the silo and returns once <c>/health</c> answers 200.</summary>
    /// <param name="settings">Store and ports.</param>
    /// <param name="name">Names this process in diagnostics, e.g. "after the crash".</param>
    public static async Task<SiloProcess> StartAsync(SiloSettings settings, string name)
    {
        var environment = new Dictionary<string, string>
        {
            ["ActorMessaging__Storage__Provider"] = settings.Provider.ToString(),
            ["ActorMessaging__Storage__ConnectionString"] = settings.ConnectionString,
            ["ActorMessaging__Cluster__ClusterId"] = settings.ClusterId,
            ["ActorMessaging__Cluster__ServiceId"] = settings.ServiceId,
            ["ActorMessaging__Cluster__SiloPort"] = Invariant(settings.SiloPort),
            ["ActorMessaging__Cluster__ClientPort"] = Invariant(settings.ClientPort),

            // Loopback only: with PostgreSQL the silo would otherwise advertise the host's network address.
            ["ActorMessaging__Cluster__AdvertisedAddress"] = "127.0.0.1",

            // Even spread over silos: load-based placement on a busy test machine can put every grain on one silo,
            // and the multi-silo tests need grains on each.
            ["ActorMessaging__Cluster__Placement"] = "Random",
        };
        foreach (var (key, value) in settings.ExtraEnvironment)
        {
            environment[key] = value;
        }

        return new SiloProcess(await DotnetProcess.StartAsync("silo/ActorMessaging.Silo", $"silo {name}", settings.HttpPort, environment), settings);
    }

    /// <inheritdoc cref="DotnetProcess.OutputTail"/>
    public string OutputTail(int lines = 80) => process.OutputTail(lines);

    /// <inheritdoc cref="DotnetProcess.Kill"/>
    public void Kill() => process.Kill();

    /// <inheritdoc cref="DotnetProcess.Freeze"/>
    public void Freeze() => process.Freeze();

    /// <inheritdoc cref="DotnetProcess.Resume"/>
    public void Resume() => process.Resume();

    /// <inheritdoc cref="DotnetProcess.WaitForExitAsync"/>
    public Task<bool> WaitForExitAsync(TimeSpan timeout) => process.WaitForExitAsync(timeout);

    /// <inheritdoc cref="DotnetProcess.StopAsync"/>
    public Task<int> StopAsync() => process.StopAsync();

    public ValueTask DisposeAsync() => process.DisposeAsync();

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
