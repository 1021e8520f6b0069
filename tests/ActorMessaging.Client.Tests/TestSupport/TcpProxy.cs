using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ActorMessaging.Client.Tests;

/// <summary>
/// A loopback TCP proxy in front of a gateway, so a test can make "that gateway" fail the ways a real one does: refuse
/// connections, drop the open ones, answer every request with 503, or take requests without answering.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly Uri _target;
    private readonly ConcurrentDictionary<TcpClient, byte> _open = new();
    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _listener;
    private Task _accepting = Task.CompletedTask;
    private int _unavailableAnswers;

    private TcpProxy(Uri target, int port)
    {
        _target = target;
        Port = port;
        Address = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri Address { get; }

    public int Port { get; }

    /// <summary>While it returns true, each new connection is answered <c>503 Service Unavailable</c> and closed.</summary>
    public Func<bool> Unavailable { get; set; } = () => false;

    /// <summary>While true, what the gateway sends back on open connections is dropped (requests still reach it).</summary>
    public bool SwallowResponses { get; set; }

    /// <summary>How many connections were answered 503.</summary>
    public int UnavailableAnswers => Volatile.Read(ref _unavailableAnswers);

    /// <summary>How many connections are open through the proxy.</summary>
    public int OpenConnections => _open.Count;

    public static TcpProxy Start(Uri target)
    {
        var proxy = new TcpProxy(target, FreePort.Next());
        proxy.Listen();
        return proxy;
    }

    /// <summary>The gateway goes away: open connections are cut and new ones refused (nothing listens on the port).</summary>
    public void Refuse()
    {
        _listener?.Stop();
        _listener = null;
        foreach (var client in _open.Keys)
        {
            try
            {
                // Abortive (RST), as when the gateway's process dies; null once the connection ended by itself.
                client.Client?.Close(0);
            }
            catch (ObjectDisposedException)
            {
                // Closed by its own end meanwhile.
            }

            _open.TryRemove(client, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Refuse();
        try
        {
            await _accepting;
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private void Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Start();
        _listener = listener;
        _accepting = AcceptAsync(listener);
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        _open[client] = 0;
        try
        {
            using (client)
            {
                var stream = client.GetStream();
                if (Unavailable())
                {
                    await AnswerUnavailableAsync(stream);
                    return;
                }

                using var upstream = new TcpClient();
                await upstream.ConnectAsync(_target.Host, _target.Port, _stop.Token);
                _open[upstream] = 0;
                var toGateway = PumpAsync(stream, upstream.GetStream(), swallow: () => false);
                var toClient = PumpAsync(upstream.GetStream(), stream, swallow: () => SwallowResponses);
                await Task.WhenAny(toGateway, toClient);
                client.Client.Close(0);
                upstream.Client.Close(0);
                _open.TryRemove(upstream, out _);
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // A connection the test cut, or one of its ends went away.
        }
        finally
        {
            _open.TryRemove(client, out _);
        }
    }

    private async Task AnswerUnavailableAsync(NetworkStream stream)
    {
        // Read the request head, then answer as a gateway in trouble would.
        var buffer = new byte[8192];
        var head = new StringBuilder();
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return;
            }

            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        Interlocked.Increment(ref _unavailableAnswers);
        await stream.WriteAsync("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), _stop.Token);
        await stream.FlushAsync(_stop.Token);
    }

    private async Task PumpAsync(Stream from, Stream to, Func<bool> swallow)
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            if (!swallow())
            {
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
    }
}
