using ActorMessaging.Configuration;
using ActorMessaging.Storage.Postgres;
using Microsoft.Extensions.Configuration;

namespace ActorMessaging.Hosting;

/// <summary>
/// <c>ActorMessaging.Silo migrate</c>: applies the PostgreSQL schema (<c>ActorMessaging:Storage:ConnectionString</c>) and
/// exits, so a deployment can run it once (Kubernetes init container or Job) before silos start. Idempotent.
/// </summary>
public static class MigrateCommand
{
    public const string Name = "migrate";

    /// <summary>Exit code when the configuration names no PostgreSQL database to migrate.</summary>
    public const int ConfigurationError = 2;

    public static bool IsRequested(IReadOnlyList<string> args) =>
        args is [var first, ..] && string.Equals(first, Name, StringComparison.OrdinalIgnoreCase);

    /// <summary>Returns the process exit code: 0 once the schema is applied.</summary>
    public static async Task<int> RunAsync(IConfiguration configuration, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(output);
        var storage = ActorMessagingSettings.Read(configuration).Storage;
        if (storage.Provider != StorageProvider.Postgres || string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            await output.WriteLineAsync($"{Name}: nothing to migrate: {ActorMessagingStorageOptions.SectionName}:Provider must be Postgres and {ActorMessagingStorageOptions.SectionName}:ConnectionString set (provider is {storage.Provider}).");
            return ConfigurationError;
        }

        var target = new Npgsql.NpgsqlConnectionStringBuilder(storage.ConnectionString);
        await output.WriteLineAsync($"{Name}: applying the ActorMessaging schema to {target.Host}:{target.Port}/{target.Database}");
        await PostgresSchema.ApplyAsync(storage.ConnectionString, cancellationToken);
        await output.WriteLineAsync($"{Name}: schema is up to date");
        return 0;
    }
}
