using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;

namespace ActorMessaging.Storage.Sqlite;

/// <summary>
/// Process-wide table of open stores, keyed by the database file's full path. Two writers on one file would
/// take turns on SQLite's write lock and pay one fsync each; sharing one store makes all named storages on
/// the file (and all silos in the process, as in in-process test clusters) group-commit together.
/// Reference-counted: the last release drains the writer and closes the file.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "Lives for the whole process; the semaphore never allocates a wait handle.")]
internal sealed class SqliteStoreRegistry
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Entry> _stores =
        new(OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

    public static SqliteStoreRegistry Shared { get; } = new();

    public async Task<SqliteStore> AcquireAsync(SqliteDatabaseLocation location, SqliteGrainStorageOptions options, ILoggerFactory loggerFactory)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_stores.TryGetValue(location.FullPath, out var entry))
            {
                // The first storage to open the file sets its batch limits; later ones share them.
                var store = SqliteStore.Open(location, options.MaxBatchOperations, options.MaxBatchBytes, loggerFactory.CreateLogger<SqliteStore>());
                entry = new Entry(store);
                _stores.Add(location.FullPath, entry);
            }

            entry.References++;
            return entry.Store;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task ReleaseAsync(SqliteStore store)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            // Held while draining so a storage reopening the same file waits for this writer to finish.
            if (_stores.TryGetValue(store.FilePath, out var entry) && ReferenceEquals(entry.Store, store) && --entry.References == 0)
            {
                _stores.Remove(store.FilePath);
                await store.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed class Entry(SqliteStore store)
    {
        public SqliteStore Store { get; } = store;

        public int References { get; set; }
    }
}
