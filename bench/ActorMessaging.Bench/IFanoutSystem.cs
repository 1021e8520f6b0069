namespace ActorMessaging.Bench;

/// <summary>One system under the fan-out test: a server in this process plus its subscribers' client connections.</summary>
internal interface IFanoutSystem : IAsyncDisposable
{
    string Name { get; }

    /// <summary>How messages are published (stated in the report).</summary>
    string PublishPath { get; }

    /// <summary>Whether its clients can speak <paramref name="protocol"/> (the raw WebSocket baseline has no hub protocol).</summary>
    bool Speaks(FanoutProtocol protocol) => true;

    /// <summary>Connects one client per receiver, speaking <paramref name="protocol"/>, to a fresh topic; returns once every one of them is subscribed.</summary>
    Task ConnectAsync(IReadOnlyList<FanoutReceiver> receivers, FanoutProtocol protocol, CancellationToken cancellationToken);

    /// <summary>Publishes <paramref name="count"/> 256-byte messages stamped with <paramref name="stamp"/> to every subscriber.</summary>
    Task PublishAsync(int count, long stamp);

    /// <summary>Closes the clients of the last <see cref="ConnectAsync"/>.</summary>
    Task DisconnectAsync();
}
