using ActorMessaging.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace ActorMessaging.Storage.Tests;

/// <summary>
/// A database file in a fresh temp folder, and storages built on it the way a silo builds them (DI, named
/// options, post-configuration). Disposing closes every storage, which drains and closes the file.
/// </summary>
internal sealed class SqliteTestDatabase : IAsyncDisposable
{
    private readonly List<ServiceProvider> _providers = [];

    public SqliteTestDatabase()
    {
        Folder = Path.Combine(Path.GetTempPath(), "am-sqlite-tests", Guid.NewGuid().ToString("N"));

        // The "data" sub-folder does not exist yet: the store must create it.
        FilePath = Path.Combine(Folder, "data", "actormessaging.db");
    }

    public string Folder { get; }

    public string FilePath { get; }

    public string ConnectionString => $"Data Source={FilePath}";

    public SqliteGrainStorage CreateStorage(string name = "am", Action<SqliteGrainStorageOptions>? configure = null) =>
        CreateStorages([name], configure)[0];

    /// <summary>Several named storages in one container, as one silo would have them.</summary>
    public SqliteGrainStorage[] CreateStorages(string[] names, Action<SqliteGrainStorageOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSerializer();
        services.AddSingleton<IGrainStorageSerializer, SqliteJsonTestSerializer>();
        foreach (var name in names)
        {
            services.AddSqliteGrainStorage(name, options =>
            {
                options.ConnectionString = ConnectionString;
                configure?.Invoke(options);
            });
        }

        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return [.. names.Select(name => (SqliteGrainStorage)provider.GetRequiredKeyedService<IGrainStorage>(name))];
    }

    /// <summary>Closes every storage created so far, as a silo shutdown would.</summary>
    public async Task CloseStoragesAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        _providers.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await CloseStoragesAsync();
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
