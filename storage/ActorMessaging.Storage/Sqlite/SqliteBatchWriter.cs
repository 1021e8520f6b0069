using Microsoft.Data.Sqlite;

namespace ActorMessaging.Storage.Sqlite;

/// <summary>
/// The one connection that writes, with its statements prepared once. Applies a batch of operations in one
/// transaction: each operation checks its own ETag with a conditional statement, so a conflict is staged for
/// that operation alone and the rest of the batch still commits. Used only from the writer thread.
/// </summary>
internal sealed class SqliteBatchWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _selectEtag;
    private readonly SqliteCommand _saveLastEtag;
    private readonly SqliteCommand[] _commands;
    private long _lastEtag;

    private SqliteBatchWriter(SqliteConnection connection, long lastEtag)
    {
        _connection = connection;
        _lastEtag = lastEtag;
        _insert = Prepare(SqliteSchema.Insert, "$type", "$key", "$state", "$etag", "$payload");
        _update = Prepare(SqliteSchema.Update, "$type", "$key", "$state", "$etag", "$payload", "$expected");
        _delete = Prepare(SqliteSchema.Delete, "$type", "$key", "$state", "$expected");
        _selectEtag = Prepare(SqliteSchema.SelectEtag, "$type", "$key", "$state");
        _saveLastEtag = Prepare(SqliteSchema.SaveLastEtag, "$etag");
        _commands = [_insert, _update, _delete, _selectEtag, _saveLastEtag];
    }

    public long LastEtag => _lastEtag;

    public string JournalMode { get; private init; } = "";

    /// <summary>Opens the file (creating it and its folder), switches it to WAL and creates the schema.</summary>
    public static SqliteBatchWriter Open(SqliteDatabaseLocation location)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(location.FullPath)!);
        var connection = new SqliteConnection(location.WriterConnectionString);
        try
        {
            connection.Open();

            // WAL: readers never block the writer and see every committed transaction. synchronous=FULL: the
            // WAL is fsynced at every commit, so a write that returned survives a SIGKILL or a power cut.
            var journalMode = Scalar<string>(connection, "PRAGMA journal_mode=WAL;");
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"SQLite store {location.FullPath} could not switch to WAL (journal_mode is '{journalMode}').");
            }

            Execute(connection, "PRAGMA synchronous=FULL;");
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                Execute(connection, SqliteSchema.Create, transaction);
                transaction.Commit();
            }

            var lastEtag = Scalar<long>(connection, SqliteSchema.ReadLastEtag);
            return new SqliteBatchWriter(connection, lastEtag) { JournalMode = journalMode };
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Applies every operation in one transaction and commits it (one fsync). Outcomes are staged on the
    /// operations; the caller publishes them after this returns. Throws, with nothing committed, if SQLite fails.
    /// </summary>
    public void Apply(IReadOnlyList<SqliteStoreOperation> batch)
    {
        using var transaction = _connection.BeginTransaction(deferred: false);
        foreach (var command in _commands)
        {
            command.Transaction = transaction;
        }

        var etag = _lastEtag;
        foreach (var operation in batch)
        {
            if (operation.Kind == SqliteStoreOperationKind.Write)
            {
                ApplyWrite(operation, ref etag);
            }
            else
            {
                ApplyClear(operation);
            }
        }

        if (etag != _lastEtag)
        {
            _saveLastEtag.Parameters[0].Value = etag;
            _saveLastEtag.ExecuteNonQuery();
        }

        transaction.Commit();
        _lastEtag = etag;
    }

    /// <summary>Drops the prepared statements' references to the last payloads, so large chunks are not kept alive.</summary>
    public void ReleasePayloads()
    {
        _insert.Parameters[4].Value = null;
        _update.Parameters[4].Value = null;
    }

    private void ApplyWrite(SqliteStoreOperation operation, ref long etag)
    {
        var newEtag = etag + 1;
        int changed;
        if (operation.ExpectedEtag is { } expected)
        {
            SetKey(_update, operation.Key);
            _update.Parameters[3].Value = newEtag;
            _update.Parameters[4].Value = operation.Payload;
            _update.Parameters[5].Value = expected;
            changed = _update.ExecuteNonQuery();
        }
        else
        {
            SetKey(_insert, operation.Key);
            _insert.Parameters[3].Value = newEtag;
            _insert.Parameters[4].Value = operation.Payload;
            changed = _insert.ExecuteNonQuery();
        }

        if (changed == 1)
        {
            etag = newEtag;
            operation.StageSuccess(newEtag);
        }
        else
        {
            operation.StageConflict(ReadEtag(operation.Key));
        }
    }

    private void ApplyClear(SqliteStoreOperation operation)
    {
        if (operation.ExpectedEtag is { } expected)
        {
            SetKey(_delete, operation.Key);
            _delete.Parameters[3].Value = expected;
            if (_delete.ExecuteNonQuery() == 1)
            {
                operation.StageSuccess(0);
            }
            else
            {
                operation.StageConflict(ReadEtag(operation.Key));
            }

            return;
        }

        // Clearing with no ETag succeeds only when there is nothing to clear; otherwise the caller's view is stale.
        var stored = ReadEtag(operation.Key);
        if (stored is null)
        {
            operation.StageSuccess(0);
        }
        else
        {
            operation.StageConflict(stored);
        }
    }

    private long? ReadEtag(SqliteStateKey key)
    {
        SetKey(_selectEtag, key);
        return _selectEtag.ExecuteScalar() is long etag ? etag : null;
    }

    private static void SetKey(SqliteCommand command, SqliteStateKey key)
    {
        command.Parameters[0].Value = key.GrainType;
        command.Parameters[1].Value = key.GrainKey;
        command.Parameters[2].Value = key.StateName;
    }

    private SqliteCommand Prepare(string sql, params string[] parameterNames)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private static T Scalar<T>(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        foreach (var command in _commands)
        {
            command.Dispose();
        }

        _connection.Dispose();
    }
}
