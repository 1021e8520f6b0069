using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ActorMessaging.Gateway.Hubs;

namespace ActorMessaging.Gateway.Tests;

/// <summary>
/// The JSON hub protocol spoken by hand over a WebSocket, as a hostile or buggy client could: frames the stock clients
/// would never write (nesting past the serializer's limits) reach the gateway as they are.
/// </summary>
internal sealed class RawJsonHubConnection : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly ClientWebSocket _socket = new();
    private readonly StringBuilder _pending = new();

    private RawJsonHubConnection()
    {
    }

    public bool IsOpen => _socket.State == WebSocketState.Open;

    public static async Task<RawJsonHubConnection> ConnectAsync(Uri gateway)
    {
        var connection = new RawJsonHubConnection();
        var hub = new UriBuilder(new Uri(gateway, MessagingHub.Path)) { Scheme = gateway.Scheme == "https" ? "wss" : "ws" }.Uri;
        await connection._socket.ConnectAsync(hub, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await connection.SendAsync("""{"protocol":"json","version":1}""");
        var handshake = await connection.ReceiveAsync();
        return handshake == "{}" ? connection : throw new InvalidOperationException($"The handshake was refused: {handshake}");
    }

    /// <summary>Sends one frame (the record separator is added).</summary>
    public Task SendAsync(string frame) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(frame + RecordSeparator), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>The completion of invocation <paramref name="invocationId"/>; pings and other frames on the way are skipped.</summary>
    public async Task<JsonElement> CompletionAsync(string invocationId)
    {
        while (true)
        {
            var frame = JsonDocument.Parse(await ReceiveAsync()).RootElement;
            if (frame.GetProperty("type").GetInt32() == 3 && frame.GetProperty("invocationId").GetString() == invocationId)
            {
                return frame;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (IsOpen)
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        }

        _socket.Dispose();
    }

    private async Task<string> ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var text = _pending.ToString();
            if (text.IndexOf(RecordSeparator, StringComparison.Ordinal) is var end and >= 0)
            {
                _pending.Remove(0, end + 1);
                return text[..end];
            }

            var received = await _socket.ReceiveAsync(buffer, deadline.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException($"The gateway closed the connection: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
            }

            _pending.Append(Encoding.UTF8.GetString(buffer, 0, received.Count));
        }
    }
}
