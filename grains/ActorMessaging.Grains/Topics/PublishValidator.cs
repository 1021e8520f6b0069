namespace ActorMessaging.Grains.Topics;

/// <summary>Checks a publish batch against the hard limits and the topic's settings before anything is accepted.</summary>
internal static class PublishValidator
{
    public static void Validate(string topic, TopicSettings settings, IReadOnlyList<OutgoingMessage>? batch, DateTimeOffset now)
    {
        if (batch is null || batch.Count == 0)
        {
            throw new BrokerException(ErrorCode.InvalidArgument, $"Publish to topic '{topic}' needs at least one message.");
        }

        if (batch.Count > MessageLimits.MaxBatchMessages)
        {
            throw new BrokerException(ErrorCode.BatchTooLarge, $"Publish to topic '{topic}' has {batch.Count} messages; at most {MessageLimits.MaxBatchMessages} are allowed per batch.");
        }

        long total = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var message = batch[i] ?? throw Invalid(topic, i, "is null");
            ValidateMessage(topic, settings, i, message);
            MessageSchedule.Validate(topic, settings, i, message, now);
            total += message.Size;
        }

        if (total > MessageLimits.MaxBatchBytes)
        {
            throw new BrokerException(ErrorCode.BatchTooLarge, $"Publish to topic '{topic}' has {total} bytes; at most {MessageLimits.MaxBatchBytes} are allowed per batch.");
        }
    }

    private static void ValidateMessage(string topic, TopicSettings settings, int index, OutgoingMessage message)
    {
        if (message.MessageId is { } id && (id.Length == 0 || id.Length > MessageLimits.MaxMessageIdLength || id.Any(char.IsControl)))
        {
            throw Invalid(topic, index, $"has an invalid id: 1 to {MessageLimits.MaxMessageIdLength} characters without control characters");
        }

        // Control characters (NUL, line breaks, escapes) in a name or header-like value reach logs, terminals and
        // HTTP headers of consumers; the message body is where arbitrary bytes belong.
        if (message.ContentType is { } contentType && (contentType.Length > MessageLimits.MaxContentTypeLength || contentType.Any(char.IsControl)))
        {
            throw Invalid(topic, index, $"has an invalid content type: at most {MessageLimits.MaxContentTypeLength} characters without control characters");
        }

        if (message.OrderingKey is { } key && (key.Length == 0 || key.Length > MessageLimits.MaxOrderingKeyLength || key.Any(char.IsControl)))
        {
            throw Invalid(topic, index, $"has an invalid ordering key: 1 to {MessageLimits.MaxOrderingKeyLength} characters without control characters");
        }

        if (message.Attributes is { } attributes)
        {
            ValidateAttributes(topic, index, attributes);
        }

        var size = message.Size;
        if (size > settings.MaxMessageBytes)
        {
            throw new BrokerException(ErrorCode.MessageTooLarge, $"Message {index} of the batch for topic '{topic}' is {size} bytes; the topic allows at most {settings.MaxMessageBytes}.");
        }
    }

    private static void ValidateAttributes(string topic, int index, IReadOnlyDictionary<string, string> attributes)
    {
        if (attributes.Count > MessageLimits.MaxAttributes)
        {
            throw new BrokerException(ErrorCode.AttributesTooLarge, $"Message {index} of the batch for topic '{topic}' has {attributes.Count} attributes; at most {MessageLimits.MaxAttributes} are allowed.");
        }

        foreach (var (name, value) in attributes)
        {
            if (string.IsNullOrEmpty(name) || name.Length > MessageLimits.MaxAttributeKeyLength)
            {
                throw new BrokerException(ErrorCode.AttributesTooLarge, $"Message {index} of the batch for topic '{topic}' has an attribute name that is empty or longer than {MessageLimits.MaxAttributeKeyLength} characters.");
            }

            if (name.Any(char.IsControl))
            {
                throw Invalid(topic, index, "has an attribute name with a control character");
            }

            if (value is null || value.Length > MessageLimits.MaxAttributeValueLength)
            {
                throw new BrokerException(ErrorCode.AttributesTooLarge, $"Attribute '{name}' of message {index} for topic '{topic}' is null or longer than {MessageLimits.MaxAttributeValueLength} characters.");
            }
        }
    }

    internal static BrokerException Invalid(string topic, int index, string problem) =>
        new(ErrorCode.InvalidMessage, $"Message {index} of the batch for topic '{topic}' {problem}.");
}
