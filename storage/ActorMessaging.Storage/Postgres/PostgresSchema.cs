using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace ActorMessaging.Storage.Postgres;

/// <summary>
/// The project's PostgreSQL schema for the Orleans ADO.NET clustering and grain-storage providers: the
/// tables, functions and <c>OrleansQuery</c> rows those providers need, embedded as ordered scripts
/// (<c>Postgres/Sql/*.sql</c>).
/// </summary>
public static class PostgresSchema
{
    // pg_advisory_xact_lock key shared by every applier: the bytes of "AMSCHEMA".
    private const long AdvisoryLockKey = 0x414D_5343_4845_4D41;
    private const int LockTimeoutSeconds = 120;
    private const string ResourceMarker = ".Postgres.Sql.";

    private static readonly Lazy<IReadOnlyList<SchemaScript>> EmbeddedScripts = new(LoadScripts);

    /// <summary>The embedded scripts in the order they are applied.</summary>
    internal static IReadOnlyList<SchemaScript> Scripts => EmbeddedScripts.Value;

    /// <summary>
    /// Applies the schema: every embedded script in order, in one transaction, under a transaction-level
    /// advisory lock so concurrent appliers (several silos starting at once) run one after another.
    /// Idempotent; when the database already holds this exact version of every script it only checks and
    /// returns, taking no catalog locks.
    /// </summary>
    /// <param name="connectionString">An Npgsql connection string for the target database.</param>
    /// <param name="cancellationToken">Cancels the apply; the transaction then rolls back.</param>
    public static Task ApplyAsync(string connectionString, CancellationToken cancellationToken = default) =>
        ApplyAsync(connectionString, force: false, cancellationToken);

    /// <summary>Applies the schema; <paramref name="force"/> re-runs the scripts even when they are recorded as applied.</summary>
    internal static async Task ApplyAsync(string connectionString, bool force, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            command.CommandTimeout = LockTimeoutSeconds;
            command.Parameters.AddWithValue("key", AdvisoryLockKey);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (!force && await IsCurrentAsync(connection, transaction, cancellationToken).ConfigureAwait(false))
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        foreach (var script in Scripts)
        {
            await using var command = new NpgsqlCommand(script.Text, connection, transaction);
            command.CommandTimeout = LockTimeoutSeconds;
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex)
            {
                throw new InvalidOperationException($"Applying PostgreSQL schema script '{script.Name}' failed: {ex.MessageText}", ex);
            }
        }

        foreach (var script in Scripts)
        {
            await using var command = new NpgsqlCommand(
                """
                INSERT INTO ActorMessagingSchemaScript (ScriptName, Sha256, AppliedOn)
                VALUES (@name, @sha256, now())
                ON CONFLICT (ScriptName) DO UPDATE SET Sha256 = EXCLUDED.Sha256, AppliedOn = EXCLUDED.AppliedOn
                """,
                connection,
                transaction);
            command.Parameters.AddWithValue("name", script.Name);
            command.Parameters.AddWithValue("sha256", script.Sha256);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> IsCurrentAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('actormessagingschemascript') IS NOT NULL", connection, transaction))
        {
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
            {
                return false;
            }
        }

        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("SELECT ScriptName, Sha256 FROM ActorMessagingSchemaScript", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                applied[reader.GetString(0)] = reader.GetString(1);
            }
        }

        return Scripts.All(s => applied.TryGetValue(s.Name, out var sha) && string.Equals(sha, s.Sha256, StringComparison.Ordinal));
    }

    private static List<SchemaScript> LoadScripts()
    {
        var assembly = typeof(PostgresSchema).Assembly;
        var scripts = new List<SchemaScript>();
        foreach (var resource in assembly.GetManifestResourceNames()
                     .Where(n => n.Contains(ResourceMarker, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
                     .Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded PostgreSQL script '{resource}' could not be opened.");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var text = reader.ReadToEnd();
            var name = resource[(resource.LastIndexOf(ResourceMarker, StringComparison.Ordinal) + ResourceMarker.Length)..];
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
            scripts.Add(new SchemaScript(name, text, sha256));
        }

        if (scripts.Count == 0)
        {
            throw new InvalidOperationException($"No PostgreSQL schema scripts are embedded in {assembly.GetName().Name}.");
        }

        return scripts;
    }

    /// <summary>One embedded script: file name, text, and the SHA-256 recorded when it is applied.</summary>
    internal sealed record SchemaScript(string Name, string Text, string Sha256);
}
