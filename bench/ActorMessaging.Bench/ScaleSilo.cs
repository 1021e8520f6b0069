using System.Globalization;
using ActorMessaging.Configuration;
using ActorMessaging.E2E.Tests;
using ActorMessaging.Testing;
using Npgsql;

namespace ActorMessaging.Bench;

/// <summary>
/// The silo host (<c>silo/ActorMessaging.Silo</c>, gateway co-hosted) as a child process on 127.0.0.1 for <c>scale</c>:
/// SQLite in a temp folder, or PostgreSQL on a throwaway server started from the machine's binaries; the per-caller
/// rate limit off. Reads the process's RSS and CPU from /proc and the database's size. Dispose kills the silo it
/// started (by its PID), stops the server and deletes the folder.
/// </summary>
internal sealed class ScaleSilo : IAsyncDisposable
{
    private const string DatabaseFile = "actormessaging.db";

    private readonly SiloProcess _process;
    private readonly string? _folder;
    private readonly PostgresServer? _postgres;
    private readonly string? _connectionString;

    private ScaleSilo(SiloProcess process, string? folder, PostgresServer? postgres, string? connectionString)
    {
        _process = process;
        _folder = folder;
        _postgres = postgres;
        _connectionString = connectionString;
    }

    public Uri Address => new($"http://127.0.0.1:{_process.Settings.HttpPort.ToString(CultureInfo.InvariantCulture)}/");

    public int ProcessId => _process.ProcessId;

    public bool HasExited => _process.HasExited;

    public static async Task<ScaleSilo> StartAsync(BenchStore store)
    {
        string? folder = null;
        PostgresServer? postgres = null;
        try
        {
            SiloSettings settings;
            if (store == BenchStore.Postgres)
            {
                postgres = await PostgresServer.StartAsync();
                var connectionString = await postgres.CreateDatabaseAsync("scale");
                settings = SiloSettings.Create(StorageProvider.Postgres, connectionString);
            }
            else
            {
                folder = Directory.CreateTempSubdirectory("am-scale-").FullName;
                settings = SiloSettings.Create(StorageProvider.Sqlite, $"Data Source={Path.Combine(folder, DatabaseFile)}");
            }

            settings = settings with
            {
                ExtraEnvironment = new Dictionary<string, string>
                {
                    // 32 callers from one address would otherwise share one caller's 1,000 requests/s.
                    ["ActorMessaging__Gateway__RateLimit__PermitsPerSecond"] = "0",
                },
            };
            var process = await SiloProcess.StartAsync(settings, "scale");
            return new ScaleSilo(process, folder, postgres, postgres is null ? null : settings.ConnectionString);
        }
        catch
        {
            await DeleteAsync(folder, postgres);
            throw;
        }
    }

    /// <summary>VmRSS of the silo process in bytes; NaN once it has exited.</summary>
    public double RssBytes()
    {
        var line = ProcStat.TryRead($"/proc/{ProcessId.ToString(CultureInfo.InvariantCulture)}/status")?.Split('\n').FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? double.NaN : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024.0;
    }

    /// <summary>User + system CPU time the silo process has used so far.</summary>
    public TimeSpan CpuTime() => ProcStat.Of(ProcessId)?.CpuTime ?? TimeSpan.Zero;

    /// <summary>SQLite: the database file and its WAL; PostgreSQL: <c>pg_database_size</c>.</summary>
    public async Task<double> DatabaseBytesAsync()
    {
        if (_connectionString is null)
        {
            var file = Path.Combine(_folder!, DatabaseFile);
            return Length(file) + Length(file + "-wal");
        }

        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
        return Convert.ToDouble(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public string OutputTail() => _process.OutputTail(40);

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        await DeleteAsync(_folder, _postgres);
    }

    private static async Task DeleteAsync(string? folder, PostgresServer? postgres)
    {
        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }

        if (folder is not null)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    private static long Length(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
