using ActorMessaging.Gateway.Wire;
using System.Globalization;
using System.Text.Json;
using ActorMessaging.Contracts;
using ActorMessaging.Filters;
using ActorMessaging.Gateway.Apis;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace ActorMessaging.Gateway.Hubs.Live;

/// <summary>Turns stored messages into <see cref="LiveMessage"/>s with the hub's own JSON settings, so they read exactly like durable deliveries.</summary>
internal sealed class LiveMessageEncoder(IOptions<JsonHubProtocolOptions> protocol)
{
    private readonly JsonSerializerOptions _json = protocol.Value.PayloadSerializerOptions;

    /// <summary>
    /// The ack id of a live delivery. Live subscriptions ack on delivery; the id only lets clients that ack
    /// everything keep doing so (acking it succeeds and does nothing).
    /// </summary>
    public static string AckIdOf(long sequence) => "live-" + sequence.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>Encodes <paramref name="messages"/>, leaving out those <paramref name="filter"/> (when given) does not match.</summary>
    public List<LiveMessage> Encode(string topic, IReadOnlyList<StoredMessage> messages, MessageFilter? filter = null)
    {
        var encoded = new List<LiveMessage>(messages.Count);
        foreach (var message in messages)
        {
            if (filter is not null && !filter.Matches(message))
            {
                continue;
            }

            // Subscription stays null, which the wire type leaves out; it is the last field, so the frame appends it.
            var wire = WireMapping.ToWire(new Delivery(AckIdOf(message.Sequence), 1, message)) with { Topic = topic };
            encoded.Add(new LiveMessage(message, wire, JsonSerializer.SerializeToUtf8Bytes(wire, _json)));
        }

        return encoded;
    }
}
