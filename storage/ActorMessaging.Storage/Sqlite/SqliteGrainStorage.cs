using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace ActorMessaging.Storage.Sqlite;

/// <summary>
/// Orleans grain storage in an embedded SQLite file. A write returns only after its transaction is committed
/// and the WAL fsynced; concurrent writes from all grains are committed together, one fsync per batch.
/// </summary>
/// <remarks>
/// ETags are decimal version numbers from one store-wide counter. A write with a null ETag inserts and fails
/// with <see cref="InconsistentStateException"/> if a record exists; a write with an ETag updates only that
/// version. A clear deletes the row (no tombstone) and leaves ETag null; because versions are never reused,
/// an activation holding an ETag from before the clear cannot overwrite a record written after it.
/// </remarks>
public sealed class SqliteGrainStorage : IGrainStorage, IGrainStateListing, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private readonly string _name;
    private readonly SqliteGrainStorageOptions _options;
    private readonly SqliteDatabaseLocation _location;
    private readonly IGrainStorageSerializer _serializer;
    private readonly IActivatorProvider _activatorProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Task<SqliteStore>? _store;
    private bool _closed;

    /// <summary>Creates the storage; the file is opened at <see cref="SqliteGrainStorageOptions.InitStage"/> or on first use.</summary>
    public SqliteGrainStorage(string name, SqliteGrainStorageOptions options, IActivatorProvider activatorProvider, ILoggerFactory loggerFactory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(activatorProvider);
        ArgumentNullException.ThrowIfNull(loggerFactory);

        // The silo resolves storages (as lifecycle participants) before it runs configuration validators, so
        // validate here too: a bad setting then fails start-up with the same message naming the key.
        new SqliteGrainStorageOptionsValidator(options, name).ValidateConfiguration();
        _name = name;
        _options = options;
        _location = SqliteDatabaseLocation.Parse(options.ConnectionString);
        _serializer = options.GrainStorageSerializer;
        _activatorProvider = activatorProvider;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<SqliteGrainStorage>();
    }

    /// <inheritdoc/>
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = SqliteStateKey.From(stateName, grainId);
        try
        {
            var store = await GetStoreAsync().ConfigureAwait(false);
            var stored = store.Read(key);
            if (stored is null)
            {
                grainState.State = CreateInstance<T>();
                grainState.ETag = null;
                grainState.RecordExists = false;
                return;
            }

            grainState.State = _serializer.Deserialize<T>(new BinaryData(stored.Payload)) ?? CreateInstance<T>();
            grainState.ETag = stored.Etag.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        catch (Exception ex)
        {
            SqliteLog.StorageOperationFailed(_logger, ex, _name, "read", key);
            throw;
        }
    }

    /// <inheritdoc/>
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = SqliteStateKey.From(stateName, grainId);
        try
        {
            var expected = ParseEtag(grainState.ETag, key);
            var payload = Serialize(grainState.State);
            var store = await GetStoreAsync().ConfigureAwait(false);
            var etag = await store.WriteAsync(key, expected, payload).ConfigureAwait(false);
            grainState.ETag = etag.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        catch (InconsistentStateException ex)
        {
            SqliteLog.EtagConflict(_logger, _name, ex.Message);
            throw;
        }
        catch (Exception ex)
        {
            SqliteLog.StorageOperationFailed(_logger, ex, _name, "write", key);
            throw;
        }
    }

    /// <inheritdoc/>
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = SqliteStateKey.From(stateName, grainId);
        try
        {
            var expected = ParseEtag(grainState.ETag, key);
            var store = await GetStoreAsync().ConfigureAwait(false);
            await store.ClearAsync(key, expected).ConfigureAwait(false);

            // As Orleans' ADO.NET provider does: the cleared state reads as a fresh instance.
            grainState.State = CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        catch (InconsistentStateException ex)
        {
            SqliteLog.EtagConflict(_logger, _name, ex.Message);
            throw;
        }
        catch (Exception ex)
        {
            SqliteLog.StorageOperationFailed(_logger, ex, _name, "clear", key);
            throw;
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> ListKeysAsync(GrainType grainType, string stateName, string prefix, string? after, int maxItems, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItems, 1);
        var store = await GetStoreAsync().ConfigureAwait(false);
        return store.ListKeys(grainType.ToString()!, stateName, KeyRange.For(prefix, after), maxItems);
    }

    /// <inheritdoc/>
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);

        // Opening at start-up makes a bad path or an unwritable folder stop the silo instead of the first write.
        lifecycle.Subscribe(OptionFormattingUtilities.Name<SqliteGrainStorage>(_name), _options.InitStage, _ => GetStoreAsync(), _ => CloseAsync());
    }

    /// <summary>Commits the writes already queued, then releases the file (closed when no other storage uses it).</summary>
    public async ValueTask DisposeAsync() => await CloseAsync().ConfigureAwait(false);

    /// <summary>The shared store for this storage's file, opened on first use.</summary>
    internal Task<SqliteStore> GetStoreAsync()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            return _store ??= SqliteStoreRegistry.Shared.AcquireAsync(_location, _options, _loggerFactory);
        }
    }

    private async Task CloseAsync()
    {
        Task<SqliteStore>? opening;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            opening = _store;
        }

        if (opening is null)
        {
            return;
        }

        // If opening failed there is nothing to release; that failure was already reported to whoever awaited it.
        SqliteStore store;
        try
        {
            store = await opening.ConfigureAwait(false);
        }
        catch (Exception) when (opening.IsFaulted)
        {
            return;
        }

        await SqliteStoreRegistry.Shared.ReleaseAsync(store).ConfigureAwait(false);
    }

    private byte[] Serialize<T>(T state)
    {
        var memory = _serializer.Serialize(state).ToMemory();

        // Avoid a copy when the serializer handed back a whole array, which is the common case.
        return MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : memory.ToArray();
    }

    private static long? ParseEtag(string? etag, SqliteStateKey key)
    {
        if (etag is null)
        {
            return null;
        }

        // An ETag this store never issued (say, from another provider) cannot match any version it holds.
        return long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new InconsistentStateException($"ETag conflict on {key}: ETag '{etag}' was not issued by this store.", null, etag);
    }

    private T CreateInstance<T>() => _activatorProvider.GetActivator<T>().Create();
}
