using System.Diagnostics;
using ActorMessaging.Grains;
using ActorMessaging.Grains.Topics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Storage;

namespace ActorMessaging.Bench;

/// <summary>
/// The <c>breakdown</c> command's measurement: where one group commit's time goes. For chunks of several sizes,
/// one at a time as the topic writes them: serializing the chunk with the silo's storage serializer, the whole
/// write through the log storage the grains use (serialization included), and a plain one-row INSERT of the
/// same serialized bytes into the same database.
/// </summary>
internal static class ChunkWriteBreakdown
{
    private static readonly GrainType ChunkType = GrainType.Create("am-chunk");

    public static async Task<IReadOnlyList<BreakdownRow>> RunAsync(BenchSilo silo, BenchStore store, string? connectionString, IReadOnlyList<int> sizes, TimeSpan perStep, PayloadPool payloads)
    {
        var serializer = silo.Services.GetRequiredService<IGrainStorageSerializer>();
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Log);
        var raw = await RawBlobWriter.OpenAsync(store, connectionString);
        var rows = new List<BreakdownRow>();
        try
        {
            foreach (var size in sizes)
            {
                var messages = Enumerable.Range(0, size)
                    .Select(i => new StoredMessage(i + 1, DateTimeOffset.UtcNow, null, payloads.Get(i), null, null, null))
                    .ToList();
                var chunk = new LogChunk { Messages = messages };
                var bytes = serializer.Serialize(chunk).ToArray();

                var serialize = await Time(perStep, () =>
                {
                    _ = serializer.Serialize(chunk);
                    return Task.CompletedTask;
                });
                var key = 0L;
                var write = await Time(perStep, () => storage.WriteStateAsync("chunk", GrainId.Create(ChunkType, IdSpan.Create($"breakdown/{size}/{Guid.NewGuid():N}/{key++}")), new GrainState<LogChunk>(chunk)));
                var insert = raw is null ? (double.NaN, 0) : await Time(perStep, () => raw.InsertAsync(bytes));
                rows.Add(new BreakdownRow(store, size, bytes.Length, serialize, write, insert));
            }
        }
        finally
        {
            if (raw is not null)
            {
                await raw.DisposeAsync();
            }
        }

        return rows;
    }

    // Median milliseconds of back-to-back calls for about `duration`, and how many calls were made.
    private static async Task<(double P50, int Count)> Time(TimeSpan duration, Func<Task> call)
    {
        var recorder = new LatencyRecorder();
        var started = Stopwatch.GetTimestamp();
        await call();
        while (Stopwatch.GetElapsedTime(started) < duration || recorder.Count < 3)
        {
            var before = Stopwatch.GetTimestamp();
            await call();
            recorder.Record(Stopwatch.GetTimestamp() - before);
        }

        return (LatencyRecorder.Percentiles([recorder]).P50, recorder.Count);
    }

    /// <summary>One-row INSERTs of a blob, one transaction each, on one connection.</summary>
    private sealed class RawBlobWriter : IAsyncDisposable
    {
        private readonly NpgsqlConnection? _postgres;
        private readonly SqliteConnection? _sqlite;

        private RawBlobWriter(NpgsqlConnection? postgres, SqliteConnection? sqlite) => (_postgres, _sqlite) = (postgres, sqlite);

        public static async Task<RawBlobWriter?> OpenAsync(BenchStore store, string? connectionString)
        {
            const string Create = "CREATE TABLE IF NOT EXISTS bench_blob (id {0} PRIMARY KEY, payload {1} NOT NULL)";
            switch (store)
            {
                case BenchStore.Postgres:
                    var postgres = new NpgsqlConnection(connectionString);
                    await postgres.OpenAsync();
                    await using (var command = new NpgsqlCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, Create, "bigserial", "bytea"), postgres))
                    {
                        await command.ExecuteNonQueryAsync();
                    }

                    // TOAST the blob as the product's OrleansStorage.PayloadBinary is: lz4 when the server has it.
                    await using (var command = new NpgsqlCommand(
                        """
                        DO $$ BEGIN
                            IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
                                ALTER TABLE bench_blob ALTER COLUMN payload SET COMPRESSION lz4;
                            END IF;
                        END $$
                        """,
                        postgres))
                    {
                        await command.ExecuteNonQueryAsync();
                    }

                    return new RawBlobWriter(postgres, null);
                case BenchStore.Sqlite:
                    // A second connection to the store's file, with the store's durability settings.
                    var sqlite = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
                    await sqlite.OpenAsync();
                    await using (var command = sqlite.CreateCommand())
                    {
                        command.CommandText = "PRAGMA synchronous=FULL; " + string.Format(System.Globalization.CultureInfo.InvariantCulture, Create, "INTEGER", "BLOB");
                        await command.ExecuteNonQueryAsync();
                    }

                    return new RawBlobWriter(null, sqlite);
                default:
                    return null;
            }
        }

        public async Task InsertAsync(byte[] payload)
        {
            if (_postgres is not null)
            {
                await using var command = new NpgsqlCommand("INSERT INTO bench_blob (payload) VALUES ($1)", _postgres);
                command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = payload });
                await command.ExecuteNonQueryAsync();
                return;
            }

            await using var insert = _sqlite!.CreateCommand();
            insert.CommandText = "INSERT INTO bench_blob (payload) VALUES ($payload);";
            insert.Parameters.Add("$payload", SqliteType.Blob).Value = payload;
            insert.ExecuteNonQuery();
        }

        public async ValueTask DisposeAsync()
        {
            if (_postgres is not null)
            {
                await _postgres.DisposeAsync();
            }

            if (_sqlite is not null)
            {
                await _sqlite.DisposeAsync();
            }
        }
    }
}
