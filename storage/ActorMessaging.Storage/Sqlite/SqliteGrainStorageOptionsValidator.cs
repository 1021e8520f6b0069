using Orleans;
using Orleans.Runtime;

namespace ActorMessaging.Storage.Sqlite;

/// <summary>
/// Checks <see cref="SqliteGrainStorageOptions"/> at silo start-up, so a bad setting stops the silo with a
/// message that names the storage and the key instead of failing on the first grain write.
/// </summary>
public sealed class SqliteGrainStorageOptionsValidator(SqliteGrainStorageOptions options, string name) : IConfigurationValidator
{
    /// <inheritdoc/>
    public void ValidateConfiguration()
    {
        ArgumentNullException.ThrowIfNull(options);

        if (SqliteDatabaseLocation.TryParse(options.ConnectionString, out var error) is null)
        {
            throw Invalid(nameof(SqliteGrainStorageOptions.ConnectionString), $"the connection string {error}");
        }

        if (options.MaxBatchOperations < 1)
        {
            throw Invalid(nameof(SqliteGrainStorageOptions.MaxBatchOperations), $"must be at least 1 (was {options.MaxBatchOperations})");
        }

        if (options.MaxBatchBytes < 1)
        {
            throw Invalid(nameof(SqliteGrainStorageOptions.MaxBatchBytes), $"must be at least 1 (was {options.MaxBatchBytes})");
        }

        if (options.GrainStorageSerializer is null)
        {
            throw Invalid(nameof(SqliteGrainStorageOptions.GrainStorageSerializer), "is required (register an IGrainStorageSerializer or set it)");
        }
    }

    private OrleansConfigurationException Invalid(string key, string problem) =>
        new($"Invalid {nameof(SqliteGrainStorageOptions)} for grain storage '{name}': {key} {problem}.");
}
