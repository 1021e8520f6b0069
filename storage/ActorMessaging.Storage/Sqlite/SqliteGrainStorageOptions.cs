using Orleans;
using Orleans.Storage;

namespace ActorMessaging.Storage.Sqlite;

/// <summary>
/// Options for the embedded SQLite grain storage. Named storages whose connection strings point at the
/// same file share one writer and one set of read connections, so their writes are committed together.
/// </summary>
public sealed class SqliteGrainStorageOptions : IStorageProviderSerializerOptions
{
    /// <summary>The default for <see cref="ConnectionString"/>: <c>Data Source=./data/actormessaging.db</c>.</summary>
    public const string DefaultConnectionString = "Data Source=./data/actormessaging.db";

    /// <summary>
    /// The <c>Microsoft.Data.Sqlite</c> connection string. The data source must be a file (a relative path is
    /// resolved against the current directory at start-up; its folder is created if missing). Default
    /// <see cref="DefaultConnectionString"/>.
    /// </summary>
    [Redact]
    public string ConnectionString { get; set; } = DefaultConnectionString;

    /// <summary>
    /// The most operations committed in one transaction (one fsync). Default 1000. When several named storages
    /// share a file, the limits of the first one to start apply.
    /// </summary>
    public int MaxBatchOperations { get; set; } = 1000;

    /// <summary>
    /// The most payload bytes committed in one transaction, so one commit of large chunks cannot hold up the
    /// writes queued behind it for long. A single larger operation is still committed on its own. Default 16 MiB.
    /// </summary>
    public int MaxBatchBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>The silo lifecycle stage at which the database is opened and its schema created. Default <see cref="ServiceLifecycleStage.ApplicationServices"/>.</summary>
    public int InitStage { get; set; } = ServiceLifecycleStage.ApplicationServices;

    /// <summary>The serializer for grain state. Default: the <see cref="IGrainStorageSerializer"/> registered under the storage name, else the silo's default.</summary>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;
}
