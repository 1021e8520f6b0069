using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ActorMessaging.Bench;

/// <summary>
/// The raw baseline: Kestrel accepts WebSockets at <c>/ws</c>; publishing puts each message on every socket's bounded
/// queue and one loop per socket writes it as a binary frame. Receivers are <see cref="ClientWebSocket"/>s.
/// </summary>
internal sealed class RawWebSocketFanout : IFanoutSystem
{
    private readonly WebApplication _app;
    private readonly Uri _endpoint;
    private readonly List<Channel<byte[]>> _sockets = [];
    private readonly List<(ClientWebSocket Socket, Task Loop)> _clients = [];
    private Channel<byte[]>[] _snapshot = [];

    private RawWebSocketFanout(WebApplication app, Uri endpoint)
    {
        _app = app;
        _endpoint = endpoint;
    }

    public string Name => "minimal raw WebSocket";

    public string PublishPath => "each message onto every socket's queue; one writer loop per socket (binary frame per message)";

    public static async Task<RawWebSocketFanout> StartAsync(CancellationToken cancellationToken)
    {
        var (builder, address) = FanoutHosts.MinimalBuilder();
        var app = builder.Build();
        RawWebSocketFanout? fanout = null;
        app.UseWebSockets();
        app.Map("/ws", async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await fanout!.ServeAsync(socket);
        });
        fanout = new RawWebSocketFanout(app, new Uri($"ws://{address.Authority}/ws"));
        await app.StartAsync(cancellationToken);
        return fanout;
    }

    public bool Speaks(FanoutProtocol protocol) => protocol == FanoutProtocol.Json;

    public async Task ConnectAsync(IReadOnlyList<FanoutReceiver> receivers, FanoutProtocol protocol, CancellationToken cancellationToken)
    {
        await FanoutHosts.ForEachBoundedAsync(receivers, async receiver =>
        {
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(_endpoint, cancellationToken);
            var loop = Task.Run(() => ReceiveAsync(socket, receiver), CancellationToken.None);
            lock (_clients)
            {
                _clients.Add((socket, loop));
            }
        });

        // The server registers a socket once its request runs; wait until it saw all of them.
        while (Volatile.Read(ref _snapshot).Length < receivers.Count)
        {
            await Task.Delay(10, cancellationToken);
        }
    }

    public async Task PublishAsync(int count, long stamp)
    {
        var sockets = Volatile.Read(ref _snapshot);
        for (var i = 0; i < count; i++)
        {
            var payload = FanoutPayload.Create(stamp);
            foreach (var queue in sockets)
            {
                // A full queue waits (back-pressure); a closed one (socket gone) is skipped.
                while (!queue.Writer.TryWrite(payload) && await queue.Writer.WaitToWriteAsync())
                {
                }
            }
        }
    }

    public async Task DisconnectAsync()
    {
        foreach (var (socket, _) in _clients)
        {
            socket.Abort();
        }

        foreach (var (socket, loop) in _clients)
        {
            await loop;
            socket.Dispose();
        }

        _clients.Clear();
        while (Volatile.Read(ref _snapshot).Length > 0)
        {
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ServeAsync(WebSocket socket)
    {
        var queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        lock (_sockets)
        {
            _sockets.Add(queue);
            Volatile.Write(ref _snapshot, [.. _sockets]);
        }

        // Reading notices the client going away; writing drains the queue.
        var reading = Task.Run(async () =>
        {
            var buffer = new byte[64];
            try
            {
                while (socket.State == WebSocketState.Open)
                {
                    var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }
                }
            }
            catch (WebSocketException)
            {
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                queue.Writer.TryComplete();
            }
        });
        try
        {
            await foreach (var payload in queue.Reader.ReadAllAsync())
            {
                await socket.SendAsync(payload, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            lock (_sockets)
            {
                _sockets.Remove(queue);
                Volatile.Write(ref _snapshot, [.. _sockets]);
            }

            queue.Writer.TryComplete();
            // Let a publisher blocked on this full queue go on.
            while (queue.Reader.TryRead(out _))
            {
            }

            await reading;
        }
    }

    private static async Task ReceiveAsync(ClientWebSocket socket, FanoutReceiver receiver)
    {
        var buffer = new byte[4096];
        var filled = 0;
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(filled), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                filled += result.Count;
                if (result.EndOfMessage)
                {
                    receiver.OnPayload(buffer.AsSpan(0, filled));
                    filled = 0;
                }
            }
        }
        catch (WebSocketException)
        {
        }
        catch (OperationCanceledException)
        {
        }
    }
}
