using Microsoft.Data.Sqlite;
using Npgsql;

namespace ActorMessaging.Bench;

/// <summary>
/// The database's own limit for the same bytes: transactions of <c>rows</c> single-row INSERTs of one payload
/// each into a plain table of the same database, no Orleans, no serialization. PostgreSQL sends each
/// transaction as one Npgsql batch (one round trip, one commit); SQLite uses the product's durability
/// settings (WAL, synchronous=FULL) and one writer, as SQLite allows only one.
/// </summary>
internal static class RawInsertBaseline
{
    public static async Task<CellResult> RunPostgresAsync(string connectionString, int writers, int rows, PayloadPool payloads, PublishBenchmarkOptions options, CancellationToken cancellationToken)
    {
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS bench_raw (id bigserial PRIMARY KEY, payload bytea NOT NULL)", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var connections = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < writers; i++)
            {
                var connection = new NpgsqlConnection(connectionString);
                connections.Add(connection);
                await connection.OpenAsync(cancellationToken);
            }

            var outcome = await MeasuredLoad.RunAsync(
                writers,
                writer => CreatePostgresWriter(connections[writer], writer, rows, payloads),
                options.Warmup,
                options.Measure,
                onWindowStart: null,
                onWindowEnd: null,
                cancellationToken);
            return ToResult(BenchStore.Postgres, writers, rows, outcome);
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    public static async Task<CellResult> RunSqliteAsync(string connectionString, int rows, PayloadPool payloads, PublishBenchmarkOptions options, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = false };
        await using var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(cancellationToken);
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Execute(connection, "PRAGMA synchronous=FULL;");
        Execute(connection, "CREATE TABLE IF NOT EXISTS bench_raw (id INTEGER PRIMARY KEY, payload BLOB NOT NULL);");
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO bench_raw (payload) VALUES ($payload);";
        var parameter = insert.Parameters.Add("$payload", SqliteType.Blob);
        var arrays = Enumerable.Range(0, 4096).Select(i => payloads.GetArray(i)).ToArray();

        var outcome = await MeasuredLoad.RunAsync(
            1,
            _ => iteration =>
            {
                // SQLite is synchronous: each transaction blocks this worker's thread in fsync, as the store's writer thread does.
                using var transaction = connection.BeginTransaction(deferred: false);
                insert.Transaction = transaction;
                for (var i = 0; i < rows; i++)
                {
                    parameter.Value = arrays[(iteration * rows + i) % arrays.Length];
                    insert.ExecuteNonQuery();
                }

                transaction.Commit();
                return Task.FromResult(rows);
            },
            options.Warmup,
            options.Measure,
            onWindowStart: null,
            onWindowEnd: null,
            cancellationToken);
        return ToResult(BenchStore.Sqlite, 1, rows, outcome);
    }

    private static MeasuredLoad.Iteration CreatePostgresWriter(NpgsqlConnection connection, int writer, int rows, PayloadPool payloads)
    {
        var batch = new NpgsqlBatch(connection);
        for (var i = 0; i < rows; i++)
        {
            var command = new NpgsqlBatchCommand("INSERT INTO bench_raw (payload) VALUES ($1)");
            command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = [] });
            batch.BatchCommands.Add(command);
        }

        const int Variants = 8;
        var arrays = Enumerable.Range(0, rows * Variants).Select(i => payloads.GetArray(((long)writer * rows * Variants) + i)).ToArray();
        return async iteration =>
        {
            var variant = (int)(iteration % Variants);
            for (var i = 0; i < rows; i++)
            {
                ((NpgsqlParameter<byte[]>)batch.BatchCommands[i].Parameters[0]).TypedValue = arrays[(variant * rows) + i];
            }

            // A batch without an explicit transaction runs as one implicit transaction: one round trip, one commit.
            await batch.ExecuteNonQueryAsync();
            return rows;
        };
    }

    private static CellResult ToResult(BenchStore store, int writers, int rows, LoadOutcome outcome)
    {
        if (outcome.FirstError is { } error)
        {
            throw new InvalidOperationException($"The raw {store} baseline failed: {error.Message}", error);
        }

        return new CellResult(store, CellResult.RawWorkload, writers, rows, outcome.MessagesPerSecond, outcome.P50Milliseconds,
            outcome.P99Milliseconds, Commits: null, outcome.Cpu, outcome.Errors);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
