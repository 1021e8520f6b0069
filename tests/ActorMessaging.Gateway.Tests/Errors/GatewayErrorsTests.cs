using ActorMessaging.Gateway.Errors;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace ActorMessaging.Gateway.Tests;

/// <summary>
/// Issue 11, risk 4: storage and Orleans failures reached callers as 500 Internal, so clients did not retry what a
/// retry would fix. <see cref="GatewayErrors.Classify"/> is the one place that sorts them.
/// </summary>
public sealed class GatewayErrorsTests
{
    /// <summary>What the storage layer says, which must never reach a caller.</summary>
    private const string Secret = "Host=db.internal;Username=am;Password=hunter2";

    public static TheoryData<string, ErrorCode> Classified => new()
    {
        { "npgsql", ErrorCode.StorageUnavailable },
        { "postgres", ErrorCode.StorageUnavailable },
        { "sqlite", ErrorCode.StorageUnavailable },
        { "etag", ErrorCode.StorageUnavailable },
        { "storage-bridge", ErrorCode.StorageUnavailable },
        { "storage-bridge-io", ErrorCode.StorageUnavailable },
        { "npgsql-timeout", ErrorCode.StorageUnavailable },
        { "silo", ErrorCode.Unavailable },
        { "connection", ErrorCode.Unavailable },
        { "too-busy", ErrorCode.Unavailable },
        { "timeout", ErrorCode.Timeout },
        { "cancelled", ErrorCode.Timeout },
        { "task-cancelled", ErrorCode.Timeout },
        { "wrapped-timeout", ErrorCode.Timeout },
        { "aggregate-npgsql", ErrorCode.StorageUnavailable },
        { "wrapped-grain-error", ErrorCode.TopicNotFound },
    };

    /// <summary>Failures as a grain call can surface them: raw, or wrapped by Orleans (the storage bridge, rejections, aggregates).</summary>
    internal static Exception Make(string kind) => kind switch
    {
        "npgsql" => new NpgsqlException($"Failed to connect to 10.0.0.5:5432 ({Secret})"),
        "postgres" => new PostgresException($"relation \"orleansstorage\" does not exist ({Secret})", "ERROR", "ERROR", "42P01"),
        "sqlite" => new SqliteException($"SQLite Error 5: 'database is locked' in UPDATE state SET etag = 2 ({Secret})", 5),
        "etag" => new InconsistentStateException($"ETag mismatch ({Secret})", "1", "2"),
        "storage-bridge" => new OrleansException($"Error from storage provider AdoNetGrainStorage.state during WriteStateAsync for grain topic/orders ({Secret})", new NpgsqlException(Secret)),
        "storage-bridge-io" => new OrleansException($"Error from storage provider MemoryGrainStorage.log during ReadStateAsync for grain topic/orders ({Secret})", new IOException(Secret)),
        "npgsql-timeout" => new NpgsqlException($"Exception while reading from stream ({Secret})", new TimeoutException(Secret)),
        "silo" => new SiloUnavailableException($"The target silo became unavailable ({Secret})"),
        "connection" => new Orleans.Runtime.Messaging.ConnectionFailedException($"Unable to connect to 10.0.0.7:11111 ({Secret})"),
        "too-busy" => new GatewayTooBusyException(),
        "timeout" => new TimeoutException($"Response did not arrive on time in 00:00:30 for message ({Secret})"),
        "cancelled" => new OperationCanceledException(Secret),
        "task-cancelled" => new TaskCanceledException(Secret),
        "wrapped-timeout" => new OrleansException(Secret, new TimeoutException(Secret)),
        "aggregate-npgsql" => new AggregateException(new NpgsqlException(Secret)),
        "wrapped-grain-error" => new OrleansException(Secret, BrokerException.TopicNotFound("orders")),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    [Theory]
    [MemberData(nameof(Classified))]
    public void Classify_StorageClusterAndTimeoutFailures_GetTheirCode_WithoutTheStorageLayersText(string kind, ErrorCode code)
    {
        var error = GatewayErrors.Classify(Make(kind));

        Assert.NotNull(error);
        Assert.Equal(code, error.Code);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Host=", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("npgsql")]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    [InlineData("etag")]
    [InlineData("storage-bridge")]
    [InlineData("storage-bridge-io")]
    public void Classify_StorageFailure_AfterCrossingTheWire_IsStorageUnavailable(string kind)
    {
        // Issue 11, risk 4: Orleans could not serialize a raw Npgsql exception for a caller on another process.
        // A standalone gateway gets what a silo threw through Orleans' serializer, set up as the gateway sets it up
        // (without it, a raw Npgsql exception could not be sent at all).
        var serializer = new ServiceCollection().AddSerializer().AddStorageExceptionSerialization().BuildServiceProvider().GetRequiredService<Serializer>();
        var received = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(Make(kind)))!;

        var error = GatewayErrors.Classify(received);

        Assert.NotNull(error);
        Assert.Equal(ErrorCode.StorageUnavailable, error.Code);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public void Classify_UnexpectedFailures_StayUnclassified()
    {
        Assert.Null(GatewayErrors.Classify(new InvalidOperationException(Secret)));
        Assert.Null(GatewayErrors.Classify(new ArgumentException(Secret)));
        Assert.Null(GatewayErrors.Classify(new OrleansException($"Something else went wrong ({Secret})")));
        Assert.Null(GatewayErrors.Classify(new AggregateException(new InvalidOperationException(Secret), new NpgsqlException(Secret))));
    }

    [Fact]
    public void Classify_KnownGrainError_KeepsItsCodeAndText()
    {
        var known = BrokerException.TopicNotFound("orders");

        Assert.Same(known, GatewayErrors.Classify(known));
    }
}
