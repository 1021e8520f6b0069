using ActorMessaging.Contracts;
using ActorMessaging.Gateway.Wire;

namespace ActorMessaging.Gateway.Apis;

/// <summary>
/// Creates a subscription or replaces its settings, for <c>PUT .../subscriptions/{subscription}</c> and for the
/// subscriptions a topic's <c>PUT</c> names. Its settings are checked when it is made, before any grain is called.
/// </summary>
internal sealed class SubscriptionUpsert
{
    private readonly string _topic;
    private readonly string _subscription;
    private readonly SubscriptionConfiguration? _requested;
    private readonly SubscriptionSettings _settings;

    private SubscriptionUpsert(string topic, string subscription, SubscriptionConfiguration? requested, SubscriptionSettings settings) =>
        (_topic, _subscription, _requested, _settings) = (topic, subscription, requested, settings);

    /// <summary>Checks the names and settings; throws <see cref="BrokerException"/> when they are invalid.</summary>
    public static SubscriptionUpsert Of(string topic, string subscription, SubscriptionConfiguration? requested)
    {
        RouteValues.Subscription(topic, subscription);
        return new SubscriptionUpsert(topic, subscription, requested, WireMapping.ToSettings(requested, topic, subscription));
    }

    /// <returns>The subscription as stored, and whether this call created it.</returns>
    public async Task<(SubscriptionDescription Description, bool Created)> ApplyAsync(IGrainFactory grains)
    {
        var grain = SubscriptionsApi.Grain(grains, _topic, _subscription);
        try
        {
            var result = await grain.CreateAsync(_settings);
            return (WireMapping.ToWire(result.Subscription), result.Created);
        }
        catch (BrokerException exception) when (exception.Code == ErrorCode.ConflictingSettings)
        {
            // It exists with other settings: PUT replaces them, except where it starts, which only creation decides.
            if (_requested?.StartAt is not null)
            {
                var current = await grain.GetAsync();
                if (WireMapping.StartOf(current.Settings) != WireMapping.StartOf(_settings))
                {
                    throw new BrokerException(ErrorCode.ConflictingSettings,
                        $"Subscription '{_subscription}' of topic '{_topic}' already exists and starts at '{WireMapping.StartOf(current.Settings)}'; "
                        + "startAt applies only at creation. Leave it out to update the other settings.");
                }
            }

            return (WireMapping.ToWire(await grain.UpdateAsync(_settings)), false);
        }
    }
}
