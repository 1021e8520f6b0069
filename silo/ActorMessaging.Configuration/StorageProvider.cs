namespace ActorMessaging.Configuration;

/// <summary>The durable store behind topics and subscriptions.</summary>
public enum StorageProvider
{
    /// <summary>An embedded SQLite file: nothing to install. The default.</summary>
    Sqlite,

    /// <summary>PostgreSQL through the Orleans ADO.NET providers; also holds cluster membership. For production.</summary>
    Postgres,

    /// <summary>In memory: lost when the process stops. For tests and experiments.</summary>
    Memory,
}
