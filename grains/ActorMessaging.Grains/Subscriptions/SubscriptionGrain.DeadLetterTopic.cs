using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ActorMessaging.Grains.Subscriptions;

/// <summary>
/// Dead-letter topics: a subscription that names one publishes its exhausted messages there, with attributes
/// saying where they came from, why and after how many attempts, instead of keeping them in its own store.
/// The message id is derived from the source, so a retried forward is caught by the topic's duplicate detection.
/// </summary>
internal sealed partial class SubscriptionGrain
{
    public const string SourceTopicAttribute = "am-dead-letter-source-topic";
    public const string SourceSubscriptionAttribute = "am-dead-letter-source-subscription";
    public const string SourceSequenceAttribute = "am-dead-letter-source-sequence";
    public const string ReasonAttribute = "am-dead-letter-reason";
    public const string AttemptsAttribute = "am-dead-letter-attempts";

    private bool HasDeadLetterRoom => Settings.DeadLetterTopic is not null || deadLetters.State.Items.Count < MaxDeadLetters;

    /// <summary>Checks at create and update that the dead-letter topic exists and is not the subscription's own.</summary>
    private async Task ValidateDeadLetterTopicAsync(SubscriptionSettings settings)
    {
        if (settings.DeadLetterTopic is not { } target)
        {
            return;
        }

        var entity = $"subscription '{_name}' of topic '{_topic}'";
        if (string.Equals(target, _topic, StringComparison.Ordinal))
        {
            throw BrokerException.InvalidSetting(entity, "deadLetterTopic", "must not be the subscription's own topic");
        }

        if (!EntityNames.IsValid(target))
        {
            throw BrokerException.InvalidSetting(entity, "deadLetterTopic", $"'{target}' is not a valid topic name");
        }

        try
        {
            await GrainFactory.GetGrain<ITopicGrain>(target).GetAsync();
        }
        catch (BrokerException exception) when (exception.Code == ErrorCode.TopicNotFound)
        {
            throw BrokerException.InvalidSetting(entity, "deadLetterTopic", $"topic '{target}' does not exist");
        }
    }

    /// <summary>Publishes the message to the dead-letter topic; false when it could not (it then goes to the own store).</summary>
    private async Task<bool> TryForwardAsync(string target, PendingMessage pending, string reason)
    {
        var message = pending.Message;
        var attributes = new Dictionary<string, string>(message.Attributes ?? new Dictionary<string, string>())
        {
            [SourceTopicAttribute] = _topic,
            [SourceSubscriptionAttribute] = _name,
            [SourceSequenceAttribute] = message.Sequence.ToString(CultureInfo.InvariantCulture),
            [ReasonAttribute] = reason,
            [AttemptsAttribute] = pending.Attempts.ToString(CultureInfo.InvariantCulture),
        };
        var id = $"dl:{_topic}/{_name}/{message.Sequence}";
        var forward = new OutgoingMessage(id.Length <= MessageLimits.MaxMessageIdLength ? id : null, message.Data, message.ContentType, attributes, message.OrderingKey);
        try
        {
            await GrainFactory.GetGrain<ITopicGrain>(target).PublishAsync([forward]);
            return true;
        }
        catch (Exception exception)
        {
            // Nothing is lost: the subscription's own store keeps it, listed with its reason.
            LogForwardFailed(exception, _topic, _name, message.Sequence, target);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {Topic}/{Subscription} could not publish message {Sequence} to dead-letter topic {Target}; keeping it in its own dead-letter store")]
    private partial void LogForwardFailed(Exception exception, string topic, string subscription, long sequence, string target);
}
