using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace ActorMessaging.Testing;

/// <summary>
/// A throwaway PostgreSQL server started from the local binaries (initdb, pg_ctl) in a unique temp
/// folder on a free loopback port. Dispose stops it and deletes the folder.
/// </summary>
/// <remarks>
/// initdb refuses to run as root, so as root every PostgreSQL command runs as the Debian
/// <c>postgres</c> user through <c>su</c>, with the temp folder owned by that user.
/// </remarks>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>Environment variable naming the folder with initdb and pg_ctl, overriding the search.</summary>
    public const string BinariesVariable = "ACTORMESSAGING_PG_BIN";

    private const string Superuser = "postgres";
    private const string OsUser = "postgres";
    private const int StartAttempts = 3;
    private static readonly TimeSpan InitDbTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PgCtlTimeout = TimeSpan.FromSeconds(60);
    private static readonly Lazy<string?> Binaries = new(FindBinariesCore);

    private readonly string _binDirectory;
    private readonly string _rootDirectory;
    private readonly bool _runAsPostgres;
    private int _disposed;

    private PostgresServer(string binDirectory, string rootDirectory, bool runAsPostgres, int port)
    {
        _binDirectory = binDirectory;
        _rootDirectory = rootDirectory;
        _runAsPostgres = runAsPostgres;
        Port = port;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>The data directory (inside the server's temp folder).</summary>
    public string DataDirectory => Path.Combine(_rootDirectory, "data");

    /// <summary>The server log written by pg_ctl.</summary>
    public string LogFile => Path.Combine(_rootDirectory, "postgres.log");

    /// <summary>A connection string for the built-in <c>postgres</c> database.</summary>
    public string AdminConnectionString => ConnectionStringFor("postgres");

    /// <summary>
    /// Why PostgreSQL tests cannot run here, or <see langword="null"/> when the binaries were found.
    /// </summary>
    public static string? SkipReason => FindBinaries() is not null
        ? null
        : Environment.GetEnvironmentVariable(BinariesVariable) is { Length: > 0 } configured
            ? $"PostgreSQL binaries (initdb, pg_ctl) were not found in '{configured}' ({BinariesVariable})."
            : "PostgreSQL binaries (initdb, pg_ctl) were not found on PATH or under /usr/lib/postgresql/*/bin; " +
              $"install PostgreSQL (e.g. apt-get install postgresql) or set {BinariesVariable} to run the PostgreSQL tests.";

    /// <summary>True when the environment variable <c>CI</c> is <c>true</c>: missing binaries then fail tests instead of skipping them.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The folder holding <c>initdb</c> and <c>pg_ctl</c>: the one named by <c>ACTORMESSAGING_PG_BIN</c> if set,
    /// else from PATH, else the newest <c>/usr/lib/postgresql/*/bin</c>; <see langword="null"/> when none is found.
    /// </summary>
    public static string? FindBinaries() => Binaries.Value;

    /// <summary>Initializes a new cluster in a unique temp folder and starts it on a free loopback port.</summary>
    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(SkipReason);
        var runAsPostgres = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);
        // As root the folder must be reachable by the postgres user: use /tmp rather than a private TMPDIR.
        var tempRoot = runAsPostgres ? "/tmp" : Path.GetTempPath();
        var root = Path.Combine(tempRoot, "am-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var server = new PostgresServer(bin, root, runAsPostgres, port: 0);
        try
        {
            if (runAsPostgres)
            {
                await RunAsync("chown", ["-R", $"{OsUser}:{OsUser}", root], asPostgres: false, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            }

            await server.InitDbAsync(cancellationToken).ConfigureAwait(false);
            await server.StartServerAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates a fresh, empty database and returns a connection string for it.</summary>
    /// <param name="name">Lower-case letters, digits and underscores; starts with a letter.</param>
    /// <param name="cancellationToken">Cancels the creation.</param>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > 63 || !char.IsAsciiLetterLower(name[0]) || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            throw new ArgumentException($"Database name '{name}' must be 1-63 lower-case letters, digits or underscores, starting with a letter.", nameof(name));
        }

        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return ConnectionStringFor(name);
    }

    /// <summary>A connection string for <paramref name="database"/> on this server.</summary>
    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = Superuser,
        Database = database,
        IncludeErrorDetail = true,
        Timeout = 15,
    }.ConnectionString;

    /// <summary>Stops the server (<c>pg_ctl stop -m fast</c>) and deletes its temp folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                await PgCtlAsync(["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "30"], CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            DeleteDirectory(_rootDirectory);
        }
    }

    private async Task InitDbAsync(CancellationToken cancellationToken)
    {
        string[] args = ["-D", DataDirectory, "-U", Superuser, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"];
        var result = await RunAsync(Path.Combine(_binDirectory, "initdb"), args, _runAsPostgres, InitDbTimeout, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"initdb failed with exit code {result.ExitCode} in '{DataDirectory}':{Environment.NewLine}{result.Output}");
        }
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            Port = GetFreeLoopbackPort();
            var options = string.Join(' ',
                "-c listen_addresses=127.0.0.1",
                $"-p {Port.ToString(CultureInfo.InvariantCulture)}",
                $"-k {_rootDirectory}",
                "-c fsync=on",
                "-c max_connections=200");
            var result = await PgCtlAsync(["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", options], cancellationToken).ConfigureAwait(false);
            if (result.ExitCode == 0)
            {
                return;
            }

            var log = ReadLogTail();
            var portTaken = log.Contains("could not bind", StringComparison.OrdinalIgnoreCase)
                || log.Contains("already in use", StringComparison.OrdinalIgnoreCase);
            if (!portTaken || attempt == StartAttempts)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL failed to start on 127.0.0.1:{Port} (pg_ctl exit code {result.ExitCode}, attempt {attempt}).{Environment.NewLine}" +
                    $"pg_ctl output:{Environment.NewLine}{result.Output}{Environment.NewLine}" +
                    $"Tail of {LogFile}:{Environment.NewLine}{log}");
            }
        }
    }

    private Task<ProcessResult> PgCtlAsync(IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        RunAsync(Path.Combine(_binDirectory, "pg_ctl"), args, _runAsPostgres, PgCtlTimeout, cancellationToken);

    private string ReadLogTail(int lines = 40)
    {
        try
        {
            if (!File.Exists(LogFile))
            {
                return "(no log file)";
            }

            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
        }
        catch (IOException ex)
        {
            return $"(could not read log: {ex.Message})";
        }
    }

    private static async Task<ProcessResult> RunAsync(string fileName, IReadOnlyList<string> args, bool asPostgres, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            startInfo.FileName = "su";
            foreach (var arg in (string[])[OsUser, "-s", "/bin/bash", "-c", string.Join(' ', args.Prepend(fileName).Select(ShellQuote))])
            {
                startInfo.ArgumentList.Add(arg);
            }
        }
        else
        {
            startInfo.FileName = fileName;
            foreach (var arg in args)
            {
                startInfo.ArgumentList.Add(arg);
            }
        }

        using var process = new Process { StartInfo = startInfo };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited between the timeout and the kill.
            }

            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new TimeoutException($"'{fileName} {string.Join(' ', args)}' did not finish within {timeout.TotalSeconds:0} s.{Environment.NewLine}{Snapshot(output)}");
        }

        return new ProcessResult(process.ExitCode, Snapshot(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static int GetFreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static void DeleteDirectory(string path)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }

                return;
            }
            catch (IOException) when (attempt < 2)
            {
                // A just-stopped postmaster may still be removing its socket and pid files; retry.
            }
            catch (UnauthorizedAccessException) when (attempt < 2)
            {
            }
        }
    }

    private static string? FindBinariesCore()
    {
        if (Environment.GetEnvironmentVariable(BinariesVariable) is { Length: > 0 } configured)
        {
            return HasBinaries(configured) ? Path.GetFullPath(configured) : null;
        }

        var pathVariable = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in pathVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var initdb = Path.Combine(directory, "initdb");
            if (HasBinaries(directory))
            {
                // Debian links /usr/local/bin/initdb to the versioned folder: use the real one, where postgres lives too.
                var target = File.ResolveLinkTarget(initdb, returnFinalTarget: true);
                var real = target is null ? directory : Path.GetDirectoryName(target.FullName);
                return real is not null && HasBinaries(real) ? real : directory;
            }
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (!Directory.Exists(debianRoot))
        {
            return null;
        }

        return Directory.EnumerateDirectories(debianRoot)
            .Select(d => (Directory: Path.Combine(d, "bin"), Version: ParseVersion(Path.GetFileName(d))))
            .Where(c => c.Version is not null && HasBinaries(c.Directory))
            .OrderByDescending(c => c.Version)
            .Select(c => c.Directory)
            .FirstOrDefault();
    }

    private static bool HasBinaries(string directory) =>
        File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"));

    private static Version? ParseVersion(string name) =>
        Version.TryParse(name.Contains('.', StringComparison.Ordinal) ? name : name + ".0", out var version) ? version : null;

    private sealed record ProcessResult(int ExitCode, string Output);
}
