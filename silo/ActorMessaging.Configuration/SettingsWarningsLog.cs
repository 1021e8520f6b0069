using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorMessaging.Configuration;

/// <summary>Logs, once at start-up, the settings that still work but should change (settings are read before logging exists).</summary>
internal sealed partial class SettingsWarningsLog(ActorMessagingSettings settings, ILogger<ActorMessagingSettings> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var warning in settings.Warnings)
        {
            LogWarning(warning);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "ActorMessaging setting: {Warning}")]
    private partial void LogWarning(string warning);
}
