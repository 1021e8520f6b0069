namespace ActorMessaging.AppHost;

/// <summary>Whether a Docker or Podman engine answers on this machine, judged by its socket (as the Aspire orchestrator finds it).</summary>
internal static class ContainerRuntime
{
    public static bool IsAvailable()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST")))
        {
            return true;
        }

        var runtimeDirectory = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        string[] sockets = ["/var/run/docker.sock", "/run/podman/podman.sock", .. runtimeDirectory is null ? Array.Empty<string>() : [Path.Combine(runtimeDirectory, "podman", "podman.sock"), Path.Combine(runtimeDirectory, "docker.sock")]];
        return OperatingSystem.IsWindows() || sockets.Any(File.Exists);
    }
}
