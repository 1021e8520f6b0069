using ActorMessaging.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorMessaging.Hosting;

/// <summary>Says at start-up where the data lives, so nobody has to guess which file or database is in use.</summary>
internal sealed partial class StartupReport(ActorMessagingStorageDescription storage, ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogStorage(storage.Provider, storage.Location);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "ActorMessaging storage: {Provider}, {Location}")]
    private partial void LogStorage(StorageProvider provider, string location);
}
