namespace ActorMessaging.Configuration;

/// <summary>Where ActorMessaging keeps its data. Section <c>ActorMessaging:Storage</c>.</summary>
public sealed class ActorMessagingStorageOptions
{
    public const string SectionName = "ActorMessaging:Storage";

    /// <summary><c>Sqlite</c> (default), <c>Postgres</c> or <c>Memory</c>.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// The store's connection string. Default for SQLite: <c>Data Source=data/actormessaging.db</c>,
    /// relative to the content root. Required for PostgreSQL.
    /// </summary>
    public string? ConnectionString { get; set; }

    public const string DefaultSqliteConnectionString = "Data Source=data/actormessaging.db";

    /// <summary>The ADO.NET provider name the Orleans providers load Npgsql by, for storage and membership alike.</summary>
    public const string PostgresInvariant = "Npgsql";
}
