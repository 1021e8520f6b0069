using Npgsql;
using Orleans.Runtime;
using Orleans.Storage;

namespace ActorMessaging.Storage.Postgres;

/// <summary>
/// Orleans' ADO.NET grain storage on our PostgreSQL schema, with keys it cannot confuse (see
/// <see cref="PostgresGrainKeys"/>) and prefix listing of stored states.
/// </summary>
public sealed class PostgresGrainStorage(IGrainStorage adoNet, string connectionString, string serviceId) : IGrainStorage, IGrainStateListing
{
    /// <inheritdoc/>
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var stored = PostgresGrainKeys.ToStored(grainId);
        await adoNet.ReadStateAsync(stateName, stored, grainState).ConfigureAwait(false);
        if (!grainState.RecordExists && stored != grainId)
        {
            await AdoptLegacyRowAsync(stateName, grainId, stored, grainState).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        adoNet.WriteStateAsync(stateName, PostgresGrainKeys.ToStored(grainId), grainState);

    /// <inheritdoc/>
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        adoNet.ClearStateAsync(stateName, PostgresGrainKeys.ToStored(grainId), grainState);

    /// <inheritdoc/>
    /// <remarks>
    /// The provider stores the state name as GrainTypeString and a string key as GrainIdExtensionString, so the
    /// primary key (service, state name, key, …) serves the range. Skipped: tombstones of cleared records, and records
    /// an earlier version stored under a number (no string key), which their grain adopts on its next read.
    /// </remarks>
    public async Task<IReadOnlyList<string>> ListKeysAsync(GrainType grainType, string stateName, string prefix, string? after, int maxItems, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItems, 1);
        var range = KeyRange.For(prefix, after);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT GrainIdExtensionString FROM OrleansStorage
            WHERE ServiceId = @service AND GrainTypeString = @state
              AND GrainIdExtensionString {(range.StartInclusive ? ">=" : ">")} @start
              {(range.End is null ? string.Empty : "AND GrainIdExtensionString < @end")}
              AND GrainIdExtensionString <> '' AND PayloadBinary IS NOT NULL
            ORDER BY GrainIdExtensionString
            LIMIT @max
            """;
        command.Parameters.AddWithValue("service", serviceId);
        command.Parameters.AddWithValue("state", stateName);
        command.Parameters.AddWithValue("start", range.StartInclusive ? range.Start : PostgresGrainKeys.ToStored(range.Start));
        if (range.End is not null)
        {
            command.Parameters.AddWithValue("end", range.End);
        }

        command.Parameters.AddWithValue("max", maxItems);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<string>(Math.Min(maxItems, 1024));
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(PostgresGrainKeys.FromStored(reader.GetString(0)));
        }

        return keys;
    }

    // Before keys were escaped, such a record was stored under the provider's numeric reading of the key. It is
    // copied to the escaped key on first read (an insert: if another activation copied it first, that copy is
    // read), so every later write and clear works on the grain's own row.
    private async Task AdoptLegacyRowAsync<T>(string stateName, GrainId grainId, GrainId stored, IGrainState<T> grainState)
    {
        var legacy = new GrainState<T>();
        await adoNet.ReadStateAsync(stateName, grainId, legacy).ConfigureAwait(false);
        if (!legacy.RecordExists || legacy.State is null)
        {
            return;
        }

        var copy = new GrainState<T>(legacy.State);
        try
        {
            await adoNet.WriteStateAsync(stateName, stored, copy).ConfigureAwait(false);
        }
        catch (InconsistentStateException)
        {
            await adoNet.ReadStateAsync(stateName, stored, grainState).ConfigureAwait(false);
            return;
        }

        (grainState.State, grainState.ETag, grainState.RecordExists) = (copy.State, copy.ETag, true);
    }
}
