using Npgsql;

namespace ActorMessaging.Bench;

/// <summary>
/// A what-if model of the topic's group commit straight on PostgreSQL, no Orleans: publishers queue messages;
/// a commit takes everything queued and INSERTs it as one row (a chunk), in its own transaction; each
/// publisher is acknowledged when its chunk and every earlier chunk are durable. With <c>depth</c> 1 this is
/// what <c>TopicGrain.CommitLoopAsync</c> does today (one chunk write at a time); a larger depth lets that
/// many chunk writes be in flight at once, which PostgreSQL can flush with one WAL fsync.
/// </summary>
internal sealed class GroupCommitModel(NpgsqlDataSource database, int depth)
{
    private readonly Lock _gate = new();
    private List<(ReadOnlyMemory<byte> Payload, TaskCompletionSource Durable)> _pending = [];
    private Task _lastChunk = Task.CompletedTask;
    private int _inFlight;
    private long _commits;

    public long Commits => Interlocked.Read(ref _commits);

    public static async Task CreateTableAsync(NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand("CREATE TABLE IF NOT EXISTS bench_chunk (id bigserial PRIMARY KEY, payload bytea NOT NULL)");
        await command.ExecuteNonQueryAsync();
    }

    public Task PublishAsync(ReadOnlyMemory<byte> payload)
    {
        var durable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _pending.Add((payload, durable));
            if (_inFlight < depth)
            {
                StartCommit();
            }
        }

        return durable.Task;
    }

    // Called under the gate.
    private void StartCommit()
    {
        var chunk = _pending;
        _pending = [];
        _inFlight++;
        var previous = _lastChunk;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _lastChunk = done.Task;
        _ = CommitAsync(chunk, previous, done);
    }

    private async Task CommitAsync(List<(ReadOnlyMemory<byte> Payload, TaskCompletionSource Durable)> chunk, Task previous, TaskCompletionSource done)
    {
        Exception? failure = null;
        try
        {
            var bytes = new byte[chunk.Sum(m => m.Payload.Length)];
            var offset = 0;
            foreach (var (payload, _) in chunk)
            {
                payload.Span.CopyTo(bytes.AsSpan(offset));
                offset += payload.Length;
            }

            await using var command = database.CreateCommand("INSERT INTO bench_chunk (payload) VALUES ($1)");
            command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = bytes });
            await command.ExecuteNonQueryAsync();
            Interlocked.Increment(ref _commits);

            // Acknowledge in order: a chunk is reported only once every earlier chunk is durable too.
            await previous;
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        foreach (var (_, durable) in chunk)
        {
            if (failure is null)
            {
                durable.SetResult();
            }
            else
            {
                durable.SetException(failure);
            }
        }

        if (failure is null)
        {
            done.SetResult();
        }
        else
        {
            done.SetException(failure);
        }

        lock (_gate)
        {
            _inFlight--;
            if (_pending.Count > 0 && _inFlight < depth)
            {
                StartCommit();
            }
        }
    }
}
