using System.Globalization;
using Xunit;

namespace ActorMessaging.Testing;

/// <summary>
/// One throwaway PostgreSQL server per xunit test collection. Each test project declares its own
/// <c>[CollectionDefinition(PostgresFixture.CollectionName)]</c> class implementing
/// <c>ICollectionFixture&lt;PostgresFixture&gt;</c> (xunit only finds definitions in the test assembly).
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    /// <summary>The collection name test projects use for their collection definition.</summary>
    public const string CollectionName = "Postgres";

    private readonly string _prefix = "am_" + Guid.NewGuid().ToString("N")[..8];
    private PostgresServer? _server;
    private string? _startFailure;
    private int _databaseCount;

    /// <summary>The running server; throws with the reason when it could not start.</summary>
    public PostgresServer Server => _server ?? throw new InvalidOperationException(_startFailure ?? "The PostgreSQL fixture has not been initialized.");

    public async Task InitializeAsync()
    {
        if (PostgresServer.SkipReason is { } reason)
        {
            // Tests are skipped by [PostgresFact] off CI; on CI they run and fail here with the reason.
            _startFailure = reason;
            if (PostgresServer.IsCi)
            {
                throw new InvalidOperationException(reason);
            }

            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _server = await PostgresServer.StartAsync(timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Creates a fresh database with a unique name and returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var number = Interlocked.Increment(ref _databaseCount);
        return Server.CreateDatabaseAsync($"{_prefix}_{number.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
