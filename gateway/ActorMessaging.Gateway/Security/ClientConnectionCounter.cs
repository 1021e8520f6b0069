using Microsoft.Extensions.Options;

namespace ActorMessaging.Gateway.Security;

/// <summary>Hub connections open per caller on this gateway process, bounded by <see cref="GatewayLimitsOptions.MaxConnectionsPerClient"/>.</summary>
internal sealed class ClientConnectionCounter(IOptions<GatewayLimitsOptions> options)
{
    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);

    public int Limit { get; } = options.Value.MaxConnectionsPerClient;

    /// <summary>Whether <paramref name="caller"/> may open one more connection now.</summary>
    public bool HasRoom(string caller)
    {
        lock (_open)
        {
            return _open.GetValueOrDefault(caller) < Limit;
        }
    }

    /// <summary>Counts a connection if there is room; false when the caller is at the limit.</summary>
    public bool TryOpen(string caller)
    {
        lock (_open)
        {
            var count = _open.GetValueOrDefault(caller);
            if (count >= Limit)
            {
                return false;
            }

            _open[caller] = count + 1;
            return true;
        }
    }

    public void Close(string caller)
    {
        lock (_open)
        {
            if (_open.TryGetValue(caller, out var count))
            {
                if (count <= 1)
                {
                    _open.Remove(caller);
                }
                else
                {
                    _open[caller] = count - 1;
                }
            }
        }
    }

    public string Describe(string caller) => $"Caller '{caller}' already has {Limit} hub connections open on this gateway (ActorMessaging:Gateway:MaxConnectionsPerClient).";
}
