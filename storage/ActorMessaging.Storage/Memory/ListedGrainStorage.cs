using Orleans.Runtime;
using Orleans.Storage;

namespace ActorMessaging.Storage.Memory;

/// <summary>
/// Adds <see cref="IGrainStateListing"/> to a grain storage that cannot list (Orleans' memory storage) by keeping
/// the keys of the records written through it, in this process. Right for one silo with memory storage, which is
/// what memory storage is for: nothing in it outlives the process, and so nothing in this index needs to.
/// </summary>
public sealed class ListedGrainStorage(IGrainStorage inner) : IGrainStorage, IGrainStateListing
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(GrainType Type, string State), SortedSet<string>> _keys = [];

    /// <inheritdoc/>
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    /// <inheritdoc/>
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await inner.WriteStateAsync(stateName, grainId, grainState).ConfigureAwait(false);
        lock (_lock)
        {
            var key = (grainId.Type, stateName);
            if (!_keys.TryGetValue(key, out var keys))
            {
                _keys[key] = keys = new SortedSet<string>(StringComparer.Ordinal);
            }

            keys.Add(grainId.Key.ToString()!);
        }
    }

    /// <inheritdoc/>
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await inner.ClearStateAsync(stateName, grainId, grainState).ConfigureAwait(false);
        lock (_lock)
        {
            if (_keys.TryGetValue((grainId.Type, stateName), out var keys))
            {
                keys.Remove(grainId.Key.ToString()!);
            }
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> ListKeysAsync(GrainType grainType, string stateName, string prefix, string? after, int maxItems, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItems, 1);
        var range = KeyRange.For(prefix, after);
        lock (_lock)
        {
            if (!_keys.TryGetValue((grainType, stateName), out var keys) || keys.Count == 0)
            {
                return Task.FromResult<IReadOnlyList<string>>([]);
            }

            // GetViewBetween needs an upper bound; the greatest key stands in for "no end".
            var upper = range.End ?? keys.Max!;
            if (string.CompareOrdinal(range.Start, upper) > 0)
            {
                return Task.FromResult<IReadOnlyList<string>>([]);
            }

            var page = keys.GetViewBetween(range.Start, upper)
                .Where(key => (range.StartInclusive || key != range.Start) && (range.End is null || key != range.End))
                .Take(maxItems)
                .ToList();
            return Task.FromResult<IReadOnlyList<string>>(page);
        }
    }
}
