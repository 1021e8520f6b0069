namespace ActorMessaging.Storage.Tests;

// Test-only grains and states for the PostgreSQL provider tests.

[Alias("am.test.postgres-ping")]
public interface IPostgresPingGrain : IGrainWithStringKey
{
    [Alias("ping")] Task<string> PingAsync(string message);
}

public sealed class PostgresPingGrain : Grain, IPostgresPingGrain
{
    public Task<string> PingAsync(string message) => Task.FromResult($"{message} from {RuntimeIdentity}");
}

[Alias("am.test.postgres-counter")]
public interface IPostgresCounterGrain : IGrainWithStringKey
{
    [Alias("increment")] Task<int> IncrementAsync();

    [Alias("get")] Task<int> GetAsync();
}

public sealed class PostgresCounterGrain(
    [PersistentState("s", PostgresTestHosts.StorageName)] IPersistentState<PostgresCounterState> state)
    : Grain, IPostgresCounterGrain
{
    public async Task<int> IncrementAsync()
    {
        state.State.Count++;
        await state.WriteStateAsync();
        return state.State.Count;
    }

    public Task<int> GetAsync() => Task.FromResult(state.State.Count);
}

[GenerateSerializer, Alias("am.test.postgres-counter-state")]
public sealed class PostgresCounterState
{
    [Id(0)] public int Count { get; set; }
}

/// <summary>Shaped like a log chunk: one opaque payload per synthetic grain id.</summary>
[GenerateSerializer, Alias("am.test.postgres-chunk-state")]
public sealed class PostgresChunkState
{
    [Id(0)] public byte[] Payload { get; set; } = [];
}
