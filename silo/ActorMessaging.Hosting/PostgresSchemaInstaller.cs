using ActorMessaging.Storage.Postgres;

namespace ActorMessaging.Hosting;

/// <summary>Applies the PostgreSQL schema before membership and storage touch the database.</summary>
internal sealed class PostgresSchemaInstaller(string connectionString) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PostgresSchemaInstaller), ServiceLifecycleStage.First, cancellation => PostgresSchema.ApplyAsync(connectionString, cancellation));
}
