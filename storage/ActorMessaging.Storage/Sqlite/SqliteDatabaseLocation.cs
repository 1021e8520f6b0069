using Microsoft.Data.Sqlite;

namespace ActorMessaging.Storage.Sqlite;

/// <summary>
/// Where one database file lives and how its writer and readers connect to it. The path is made absolute once,
/// so every connection opens the same file whatever the current directory later becomes, and so two named
/// storages spelling the same file differently still share one writer.
/// </summary>
internal sealed class SqliteDatabaseLocation
{
    private SqliteDatabaseLocation(string fullPath, string writerConnectionString, string readerConnectionString)
    {
        FullPath = fullPath;
        WriterConnectionString = writerConnectionString;
        ReaderConnectionString = readerConnectionString;
    }

    public string FullPath { get; }

    /// <summary>The single writer's connection: not pooled, because it stays open for the life of the store.</summary>
    public string WriterConnectionString { get; }

    /// <summary>Pooled read-only connections: WAL lets them read committed data while the writer commits.</summary>
    public string ReaderConnectionString { get; }

    /// <summary>Parses a connection string; returns null with a reason when it does not name a database file.</summary>
    public static SqliteDatabaseLocation? TryParse(string? connectionString, out string? error)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            error = "is empty";
            return null;
        }

        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            error = $"cannot be parsed: {ex.Message}";
            return null;
        }

        var dataSource = builder.DataSource;
        if (string.IsNullOrWhiteSpace(dataSource))
        {
            error = "has no Data Source";
            return null;
        }

        // Each in-memory connection is its own database: readers would never see the writer's commits.
        if (builder.Mode == SqliteOpenMode.Memory || string.Equals(dataSource, ":memory:", StringComparison.OrdinalIgnoreCase))
        {
            error = "names an in-memory database; the store needs a file";
            return null;
        }

        if (dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            error = "uses a URI Data Source; give a file path";
            return null;
        }

        var fullPath = Path.GetFullPath(dataSource);

        builder.DataSource = fullPath;
        builder.Mode = SqliteOpenMode.ReadWriteCreate;
        builder.Pooling = false;
        var writer = builder.ToString();

        builder.Mode = SqliteOpenMode.ReadOnly;
        builder.Pooling = true;
        var reader = builder.ToString();

        error = null;
        return new SqliteDatabaseLocation(fullPath, writer, reader);
    }

    public static SqliteDatabaseLocation Parse(string connectionString) =>
        TryParse(connectionString, out var error)
        ?? throw new ArgumentException($"The SQLite connection string {error}.", nameof(connectionString));
}
