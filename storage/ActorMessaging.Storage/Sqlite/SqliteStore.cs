using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace ActorMessaging.Storage.Sqlite;

/// <summary>
/// One database file: a single writer thread that group-commits everything queued, and pooled read-only
/// connections. Shared by every named storage pointing at the file (see <see cref="SqliteStoreRegistry"/>),
/// so writes from all of them land in the same transactions and cost one fsync per batch.
/// </summary>
internal sealed class SqliteStore : IAsyncDisposable
{
    private readonly SqliteDatabaseLocation _location;
    private readonly SqliteBatchWriter _writer;
    private readonly SqliteReaderPool _readers;
    private readonly ILogger _logger;
    private readonly int _maxBatchOperations;
    private readonly long _maxBatchBytes;
    private readonly Channel<SqliteStoreOperation> _queue =
        Channel.CreateUnbounded<SqliteStoreOperation>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _writerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread _writerThread;
    private Exception? _writerFault;
    private long _transactions;
    private long _operations;

    // Counted by hand: the single-reader channel is the fast one, and it cannot count its items.
    private int _pending;
    private int _disposed;

    private SqliteStore(SqliteDatabaseLocation location, SqliteBatchWriter writer, int maxBatchOperations, long maxBatchBytes, ILogger logger)
    {
        _location = location;
        _writer = writer;
        _readers = new SqliteReaderPool(location.ReaderConnectionString);
        _maxBatchOperations = maxBatchOperations;
        _maxBatchBytes = maxBatchBytes;
        _logger = logger;

        // A dedicated thread, not a pool thread: it blocks in fsync for most of its life, and SQLite's API is
        // synchronous anyway. While it waits for one commit, the next batch piles up in the channel.
        _writerThread = new Thread(RunWriter) { IsBackground = true, Name = $"sqlite-writer {Path.GetFileName(location.FullPath)}" };
    }

    public string FilePath => _location.FullPath;

    /// <summary>Transactions committed so far: far fewer than <see cref="CommittedOperations"/> when group commit works.</summary>
    public long CommittedTransactions => Interlocked.Read(ref _transactions);

    public long CommittedOperations => Interlocked.Read(ref _operations);

    /// <summary>Operations queued and not yet taken by the writer.</summary>
    public int PendingOperations => Volatile.Read(ref _pending);

    public static SqliteStore Open(SqliteDatabaseLocation location, int maxBatchOperations, long maxBatchBytes, ILogger logger)
    {
        var writer = SqliteBatchWriter.Open(location);
        var store = new SqliteStore(location, writer, maxBatchOperations, maxBatchBytes, logger);
        store._writerThread.Start();
        SqliteLog.StoreOpened(logger, location.FullPath, writer.JournalMode, writer.LastEtag);
        return store;
    }

    /// <summary>Reads one record with a prepared read-only connection; null when there is none.</summary>
    public SqliteStoredState? Read(SqliteStateKey key)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _readers.Read(key);
    }

    /// <summary>Keys of <paramref name="grainType"/> with a record of <paramref name="stateName"/> in <paramref name="range"/>, in key order.</summary>
    public List<string> ListKeys(string grainType, string stateName, KeyRange range, int maxItems)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        using var connection = new SqliteConnection(_location.ReaderConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = string.Concat(
            SqliteSchema.ListKeys,
            range.StartInclusive ? SqliteSchema.ListKeysFrom : SqliteSchema.ListKeysAfter,
            range.End is null ? string.Empty : SqliteSchema.ListKeysBefore,
            SqliteSchema.ListKeysOrder);
        command.Parameters.AddWithValue("$type", grainType);
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$start", range.Start);
        if (range.End is not null)
        {
            command.Parameters.AddWithValue("$end", range.End);
        }

        command.Parameters.AddWithValue("$max", maxItems);
        using var reader = command.ExecuteReader();
        var keys = new List<string>(Math.Min(maxItems, 1024));
        while (reader.Read())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    /// <summary>Queues a write; completes with the new ETag once its transaction is committed and fsynced.</summary>
    public Task<long> WriteAsync(SqliteStateKey key, long? expectedEtag, byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return Enqueue(new SqliteStoreOperation(SqliteStoreOperationKind.Write, key, expectedEtag, payload));
    }

    /// <summary>Queues a delete of the record; completes once committed.</summary>
    public Task ClearAsync(SqliteStateKey key, long? expectedEtag) =>
        Enqueue(new SqliteStoreOperation(SqliteStoreOperationKind.Clear, key, expectedEtag, payload: null));

    private Task<long> Enqueue(SqliteStoreOperation operation)
    {
        Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite(operation))
        {
            Interlocked.Decrement(ref _pending);
            throw _writerFault is { } fault
                ? new InvalidOperationException($"SQLite store {FilePath} stopped after a failure.", fault)
                : new ObjectDisposedException(nameof(SqliteStore), $"SQLite store {FilePath} is closed.");
        }

        return operation.Completion;
    }

    private void RunWriter()
    {
        var batch = new List<SqliteStoreOperation>(Math.Min(_maxBatchOperations, 4096));
        try
        {
            while (WaitForOperations())
            {
                long bytes = 0;
                while (batch.Count < _maxBatchOperations && bytes < _maxBatchBytes && _queue.Reader.TryRead(out var operation))
                {
                    Interlocked.Decrement(ref _pending);
                    batch.Add(operation);
                    bytes += operation.PayloadLength;
                }

                Commit(batch, bytes);
                batch.Clear();
            }

            _writerStopped.TrySetResult();
        }
        catch (Exception ex)
        {
            // Only a bug gets here (Commit reports SQLite failures per operation). Fail everything rather than
            // leave callers waiting for a writer that is gone.
            SqliteLog.WriterFailed(_logger, ex, FilePath);
            _writerFault = ex;
            _queue.Writer.TryComplete(ex);
            foreach (var operation in batch)
            {
                operation.Fail(ex);
            }

            while (_queue.Reader.TryRead(out var operation))
            {
                Interlocked.Decrement(ref _pending);
                operation.Fail(ex);
            }

            _writerStopped.TrySetResult();
        }
    }

    private bool WaitForOperations()
    {
        var wait = _queue.Reader.WaitToReadAsync();
        return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    private void Commit(List<SqliteStoreOperation> batch, long bytes)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            _writer.Apply(batch);
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            // Something other than an ETag conflict (those are staged, not thrown) failed the transaction.
            // Retry each operation alone so one bad operation cannot fail its neighbours.
            SqliteLog.BatchFailed(_logger, ex, batch.Count);
            foreach (var operation in batch)
            {
                CommitAlone(operation);
            }

            return;
        }
        catch (Exception ex)
        {
            // The storage that queued it logs the failure with its own name.
            batch[0].Fail(ex);
            return;
        }
        finally
        {
            _writer.ReleasePayloads();
        }

        Counted(batch.Count);
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            SqliteLog.BatchCommitted(_logger, batch.Count, bytes, elapsed);
        }

        foreach (var operation in batch)
        {
            operation.Publish();
        }
    }

    private void CommitAlone(SqliteStoreOperation operation)
    {
        try
        {
            _writer.Apply([operation]);
        }
        catch (Exception ex)
        {
            // The storage that queued it logs the failure with its own name.
            operation.Fail(ex);
            return;
        }
        finally
        {
            _writer.ReleasePayloads();
        }

        Counted(1);
        operation.Publish();
    }

    private void Counted(int operations)
    {
        Interlocked.Increment(ref _transactions);
        Interlocked.Add(ref _operations, operations);
    }

    /// <summary>Stops taking operations, commits everything already queued, then closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _writerStopped.Task.ConfigureAwait(false);

        // Close idle readers first so the writer is the last connection: SQLite then checkpoints the WAL into
        // the database file and removes it, leaving a single self-contained file behind.
        _readers.Dispose();
        using (var reader = new SqliteConnection(_location.ReaderConnectionString))
        {
            SqliteConnection.ClearPool(reader);
        }

        _writer.Dispose();
        SqliteLog.StoreClosed(_logger, FilePath, CommittedOperations, CommittedTransactions);
    }
}
