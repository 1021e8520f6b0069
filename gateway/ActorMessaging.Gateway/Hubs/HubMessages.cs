using ActorMessaging.Contracts;
using ActorMessaging.Gateway.Apis;
using ActorMessaging.Gateway.Wire;

namespace ActorMessaging.Gateway.Hubs;

/// <summary>The hub's wire shapes are the HTTP API's (<see cref="WireMapping"/>), so a message means the same on both.</summary>
internal static class HubMessages
{
    public static List<OutgoingMessage> ToOutgoing(string topic, IReadOnlyList<PublishMessage?> messages)
    {
        var batch = new List<OutgoingMessage>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            batch.Add(WireMapping.ToOutgoing(messages[i], i, topic));
        }

        return batch;
    }

    public static List<PublishMessageResult> ToWire(PublishResult result) => [.. WireMapping.ToWire(result).Results];

    /// <summary>A pushed delivery: the pull shape plus its topic and subscription.</summary>
    public static ReceivedMessage ToWire(string topic, string subscription, Delivery delivery) =>
        WireMapping.ToWire(delivery) with { Topic = topic, Subscription = subscription };

    public static List<AckIdFailure> ToWire(SettleResult result) => [.. WireMapping.ToWire(result).Failures];
}
