using System.Net;
using ActorMessaging.Configuration;
using ActorMessaging.Grains;
using ActorMessaging.Grains.Directory;
using ActorMessaging.Storage;
using ActorMessaging.Storage.Memory;
using ActorMessaging.Storage.Postgres;
using ActorMessaging.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Storage;

namespace ActorMessaging.Hosting;

/// <summary>Wires an Orleans silo for ActorMessaging from configuration.</summary>
public static class SiloBuilderActorMessagingExtensions
{
    /// <summary>
    /// Adds the ActorMessaging grains' services and the configured store (<c>ActorMessaging:Storage</c>) and
    /// cluster settings (<c>ActorMessaging:Cluster</c>). Throws at once, naming the key, when a setting is invalid.
    /// </summary>
    /// <param name="silo">The silo to configure.</param>
    /// <param name="configuration">The host's configuration.</param>
    /// <param name="contentRoot">Base folder for a relative SQLite data source.</param>
    public static ISiloBuilder UseActorMessaging(this ISiloBuilder silo, IConfiguration configuration, string contentRoot)
    {
        var settings = ActorMessagingSettings.Read(configuration);
        var (storage, cluster) = (settings.Storage, settings.Cluster);
        silo.Services.AddActorMessagingSettings(settings);

        silo.Services.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
        silo.ConfigureFailureDetection(cluster);
        silo.ConfigureIdleDeactivation(cluster.IdleTimeout);
        if (cluster.Placement == GrainPlacement.Random)
        {
            silo.Services.AddSingleton<PlacementStrategy, RandomPlacement>();
        }

        switch (storage.Provider)
        {
            case StorageProvider.Postgres:
                silo.UseActorMessagingPostgres(storage.ConnectionString!);
                var address = cluster.AdvertisedAddress is { Length: > 0 } advertised ? IPAddress.Parse(advertised) : null;
                if (address is null)
                {
                    silo.ConfigureEndpoints(cluster.SiloPort, cluster.ClientPort);
                }
                else
                {
                    silo.ConfigureEndpoints(address, cluster.SiloPort, cluster.ClientPort, listenOnAnyHostAddress: true);
                }

                break;
            case StorageProvider.Memory:
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.ClientPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
                silo.UseActorMessagingMemoryStorage();
                break;
            default:
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.ClientPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
                silo.UseActorMessagingSqlite(ResolveSqlite(storage.ConnectionString, contentRoot));
                break;
        }

        silo.Services.AddSingleton(new ActorMessagingStorageDescription(storage.Provider, Describe(storage, contentRoot)));
        return silo.AddActorMessagingGrains();
    }

    /// <summary>
    /// Membership and call timeouts from <c>ActorMessaging:Cluster</c>: how fast a killed or frozen silo is declared dead
    /// (its grains then activate elsewhere) and how long a call to a silo not yet declared dead may block.
    /// A silo that finds itself declared dead ends its process at once (<see cref="ImmediateFatalErrorHandler"/>).
    /// See docs/operations.md, "Failure detection", for the measured times and the trade-off.
    /// </summary>
    public static ISiloBuilder ConfigureFailureDetection(this ISiloBuilder silo, ActorMessagingClusterOptions cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        silo.Services.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = cluster.ProbeTimeout;
            o.MaxProbeTimeout = cluster.MaxProbeTimeout;
            o.NumMissedProbesLimit = cluster.NumMissedProbesLimit;
            o.NumProbedSilos = cluster.NumProbedSilos;
            o.NumVotesForDeathDeclaration = cluster.NumVotesForDeathDeclaration;
            o.EnableIndirectProbes = cluster.EnableIndirectProbes;
            o.EnableConnectionLivenessCheck = cluster.EnableConnectionLivenessCheck;
            o.IAmAliveTablePublishTimeout = cluster.IAmAliveTablePublishTimeout;
            o.TableRefreshTimeout = cluster.TableRefreshTimeout;
            o.DefunctSiloExpiration = cluster.DefunctSiloExpiration;
        });
        silo.Services.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = cluster.ResponseTimeout);
        silo.AddOutgoingGrainCallFilter(new GatewayCallTimeoutFilter(cluster.GatewayResponseTimeout));

        // A silo declared dead stops without Orleans' 2 s grace, in which it would still serve grains others now own.
        silo.Services.Replace(ServiceDescriptor.Singleton<IFatalErrorHandler, ImmediateFatalErrorHandler>());
        return silo;
    }

    /// <summary>Entries of Orleans' grain directory cache; see <see cref="ConfigureIdleDeactivation"/>.</summary>
    internal const int DirectoryCacheSize = 100_000;

    /// <summary>
    /// Deactivates topic and subscription grains after <paramref name="idleTimeout"/> without a call. Orleans looks for
    /// idle grains once per collection quantum (1 minute by default), so the quantum shrinks to a quarter of a short
    /// timeout: an idle grain goes within about 1.25 times the timeout. Then <see cref="IdleMemoryRelease"/> gives their
    /// memory back to the operating system.
    /// </summary>
    public static ISiloBuilder ConfigureIdleDeactivation(this ISiloBuilder silo, TimeSpan idleTimeout)
    {
        silo.Services.Configure<GrainCollectionOptions>(o =>
        {
            foreach (var grainClass in IdleGrainClasses.Names)
            {
                o.ClassSpecificCollectionAge[grainClass] = idleTimeout;
            }

            var quantum = idleTimeout / 4;
            if (quantum < o.CollectionQuantum)
            {
                o.CollectionQuantum = quantum;
            }
        });

        // Orleans caches the address of every grain it has looked up, deactivated or not, up to a million entries (about
        // 230 bytes each): after a million topics were created and went idle, that cache alone held over 200 MB, and the
        // dashboard's once-a-second cache-size gauge walked all of it. A hundred thousand still covers the grains in use.
        silo.Services.Configure<GrainDirectoryOptions>(o => o.CacheSize = Math.Min(o.CacheSize, DirectoryCacheSize));

        // Checked at the collection quantum's pace, the most often grains deactivate in bulk.
        var releasePeriod = idleTimeout / 4 < TimeSpan.FromMinutes(1) ? idleTimeout / 4 : TimeSpan.FromMinutes(1);
        silo.Services.AddHostedService(services => new IdleMemoryRelease(
            services.GetRequiredService<IGrainFactory>(), services.GetRequiredService<ILocalSiloDetails>(), releasePeriod, TimeProvider.System, services.GetRequiredService<ILogger<IdleMemoryRelease>>()));
        return silo;
    }

    /// <summary>
    /// The grains' own services: broker clock, binary storage serialization, and topic listing from the state store's
    /// <see cref="IGrainStateListing"/> (registered keyed by <see cref="StorageNames.State"/>; the Use*Storage methods do).
    /// </summary>
    public static ISiloBuilder AddActorMessagingGrains(this ISiloBuilder silo)
    {
        silo.Services.TryAddSingleton(BrokerClock.System);
        silo.Services.TryAddSingleton<ITopicListing>(services =>
            new StoredTopicListing(services.GetKeyedService<IGrainStateListing>(StorageNames.State)
                ?? throw new InvalidOperationException($"The grain storage '{StorageNames.State}' cannot list its records: register an {nameof(IGrainStateListing)} keyed '{StorageNames.State}'.")));

        // Binary, not the default JSON: log chunks are most of what is written, and JSON would base64 every payload.
        silo.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
        return silo;
    }

    /// <summary>Memory storage for one silo; state records are also indexed in memory, for listing.</summary>
    public static ISiloBuilder UseActorMessagingMemoryStorage(this ISiloBuilder silo)
    {
        const string inner = StorageNames.State + "-memory";
        silo.AddMemoryGrainStorage(inner).AddMemoryGrainStorage(StorageNames.Log);
        silo.Services.AddKeyedSingleton(StorageNames.State, (services, _) => new ListedGrainStorage(services.GetRequiredKeyedService<IGrainStorage>(inner)));
        silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.State, (services, key) => services.GetRequiredKeyedService<ListedGrainStorage>(key));
        silo.Services.AddKeyedSingleton<IGrainStateListing>(StorageNames.State, (services, key) => services.GetRequiredKeyedService<ListedGrainStorage>(key));
        return silo;
    }

    /// <summary>Both stores in one SQLite file, so state and log writes share one group commit.</summary>
    public static ISiloBuilder UseActorMessagingSqlite(this ISiloBuilder silo, string connectionString)
    {
        silo.AddSqliteGrainStorage(StorageNames.State, o => o.ConnectionString = connectionString)
            .AddSqliteGrainStorage(StorageNames.Log, o => o.ConnectionString = connectionString);
        silo.Services.AddKeyedSingleton<IGrainStateListing>(StorageNames.State, (services, key) => (SqliteGrainStorage)services.GetRequiredKeyedService<IGrainStorage>(key));
        return silo;
    }

    /// <summary>PostgreSQL for grain state, the log and cluster membership; the schema is applied when the silo starts.</summary>
    public static ISiloBuilder UseActorMessagingPostgres(this ISiloBuilder silo, string connectionString)
    {
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(new PostgresSchemaInstaller(connectionString));
        silo.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (ActorMessagingStorageOptions.PostgresInvariant, connectionString));
        const string adoNetState = StorageNames.State + "-adonet";
        silo.AddAdoNetGrainStorage(adoNetState, o => (o.Invariant, o.ConnectionString) = (ActorMessagingStorageOptions.PostgresInvariant, connectionString));
        silo.Services.AddKeyedSingleton(StorageNames.State, (services, _) => new PostgresGrainStorage(
            services.GetRequiredKeyedService<IGrainStorage>(adoNetState), connectionString, services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId));
        silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.State, (services, key) => services.GetRequiredKeyedService<PostgresGrainStorage>(key));
        silo.Services.AddKeyedSingleton<IGrainStateListing>(StorageNames.State, (services, key) => services.GetRequiredKeyedService<PostgresGrainStorage>(key));
        silo.AddAdoNetGrainStorage(StorageNames.Log, o => (o.Invariant, o.ConnectionString, o.DeleteStateOnClear) = (ActorMessagingStorageOptions.PostgresInvariant, connectionString, true));
        return silo;
    }

    private static string ResolveSqlite(string? connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString ?? ActorMessagingStorageOptions.DefaultSqliteConnectionString);
        if (!Path.IsPathRooted(builder.DataSource) && builder.DataSource != ":memory:")
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
        }

        return builder.ToString();
    }

    private static string Describe(ActorMessagingStorageOptions storage, string contentRoot) => storage.Provider switch
    {
        StorageProvider.Sqlite => $"SQLite file {new SqliteConnectionStringBuilder(ResolveSqlite(storage.ConnectionString, contentRoot)).DataSource}",
        StorageProvider.Postgres => $"PostgreSQL at {DescribePostgres(storage.ConnectionString!)}",
        _ => "memory (nothing survives a restart)",
    };

    private static string DescribePostgres(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }
}
