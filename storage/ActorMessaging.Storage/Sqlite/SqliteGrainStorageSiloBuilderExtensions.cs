using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace ActorMessaging.Storage.Sqlite;

/// <summary>Registers the embedded SQLite grain storage.</summary>
public static class SqliteGrainStorageSiloBuilderExtensions
{
    /// <summary>
    /// Adds a named SQLite grain storage. Storages whose connection strings name the same file share one writer
    /// and commit together.
    /// </summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<SqliteGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSqliteGrainStorage(name, configure);
        return builder;
    }

    /// <inheritdoc cref="AddSqliteGrainStorage(ISiloBuilder, string, Action{SqliteGrainStorageOptions})"/>
    public static IServiceCollection AddSqliteGrainStorage(this IServiceCollection services, string name, Action<SqliteGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<SqliteGrainStorageOptions>(name).Configure(configure);

        // Fills GrainStorageSerializer when not set: the serializer keyed by this storage's name, else the default.
        services.TryAddEnumerable(ServiceDescriptor.Transient<IPostConfigureOptions<SqliteGrainStorageOptions>, DefaultStorageProviderSerializerOptionsConfigurator<SqliteGrainStorageOptions>>());
        services.ConfigureNamedOptionForLogging<SqliteGrainStorageOptions>(name);
        services.AddTransient<IConfigurationValidator>(sp => new SqliteGrainStorageOptionsValidator(GetOptions(sp, name), name));

        // AddGrainStorage also enlists the storage in the silo lifecycle, because it is an ILifecycleParticipant.
        return services.AddGrainStorage(name, static (sp, key) => ActivatorUtilities.CreateInstance<SqliteGrainStorage>(sp, key, GetOptions(sp, key)));
    }

    private static SqliteGrainStorageOptions GetOptions(IServiceProvider services, string name) =>
        services.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(name);
}
