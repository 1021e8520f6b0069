using System.Globalization;
using System.Text.Json;
using ActorMessaging.Contracts;

namespace ActorMessaging.Gateway.Wire;

/// <summary>
/// Maps between the wire types (HTTP JSON and both hub protocols) and the grain contracts. Settings are validated here,
/// before any grain call.
/// </summary>
internal static class WireMapping
{
    private const string Latest = "latest";
    private const string Earliest = "earliest";

    // Far beyond any allowed setting, and far inside TimeSpan's range: larger values are reported, not overflowed.
    private const double MaxSeconds = 1e10;

    private static readonly IReadOnlyDictionary<string, string> NoAttributes = new Dictionary<string, string>();

    public static TopicSettings ToSettings(TopicConfiguration? wire, string topic)
    {
        var defaults = new TopicSettings();
        var entity = $"topic '{topic}'";
        var settings = new TopicSettings
        {
            Retention = Seconds(wire?.RetentionSeconds, defaults.Retention, entity, "retentionSeconds"),
            MaxMessageBytes = wire?.MaxMessageBytes ?? defaults.MaxMessageBytes,
            DedupWindow = Seconds(wire?.DedupWindowSeconds, defaults.DedupWindow, entity, "dedupWindowSeconds"),
            DefaultTimeToLive = wire?.DefaultTtlSeconds is { } ttl ? Seconds(ttl, TimeSpan.Zero, entity, "defaultTtlSeconds") : null,
            RetainAckedMessages = wire?.RetainAckedMessages ?? defaults.RetainAckedMessages,
        };
        settings.Validate(topic);
        return settings;
    }

    public static SubscriptionSettings ToSettings(SubscriptionConfiguration? wire, string topic, string subscription)
    {
        var defaults = new SubscriptionSettings();
        var entity = $"subscription '{subscription}' of topic '{topic}'";
        var settings = new SubscriptionSettings
        {
            StartAt = wire?.StartAt switch
            {
                null => defaults.StartAt,
                var s when s.Equals(Latest, StringComparison.OrdinalIgnoreCase) => StartPosition.Latest,
                var s when s.Equals(Earliest, StringComparison.OrdinalIgnoreCase) => StartPosition.Earliest,
                var s when StartFrom(s) is not null => StartPosition.Latest,
                var s => throw BrokerException.InvalidSetting(entity, "startAt", $"must be '{Latest}', '{Earliest}', a sequence number or an RFC 3339 time, was '{s}'"),
            },
            StartFrom = wire?.StartAt is { } start ? StartFrom(start) : null,
            AckDeadline = Seconds(wire?.AckDeadlineSeconds, defaults.AckDeadline, entity, "ackDeadlineSeconds"),
            MaxDeliveryAttempts = wire?.MaxDeliveryAttempts ?? defaults.MaxDeliveryAttempts,
            MinBackoff = Seconds(wire?.MinBackoffSeconds, defaults.MinBackoff, entity, "minBackoffSeconds"),
            MaxBackoff = Seconds(wire?.MaxBackoffSeconds, defaults.MaxBackoff, entity, "maxBackoffSeconds"),
            DeadLettering = wire?.DeadLettering ?? defaults.DeadLettering,
            Filter = wire?.Filter,
            DeadLetterExpired = wire?.DeadLetterExpired ?? defaults.DeadLetterExpired,
            DeadLetterTopic = wire?.DeadLetterTopic,
            ExactlyOnce = wire?.ExactlyOnce ?? defaults.ExactlyOnce,
        };
        settings.Validate(topic, subscription);
        return settings;
    }

    /// <summary>A duration argument in seconds (not a setting), e.g. a pull wait or a nack delay.</summary>
    public static TimeSpan ToDuration(double seconds, string name) =>
        double.IsFinite(seconds) && Math.Abs(seconds) <= MaxSeconds
            ? TimeSpan.FromSeconds(seconds)
            : throw new BrokerException(ErrorCode.InvalidArgument, $"'{name}' must be a number of seconds, was {seconds}.");

    public static string ToWire(StartPosition start) => start == StartPosition.Earliest ? Earliest : Latest;

    /// <summary>Where a subscription starts, as <c>startAt</c> reads: latest, earliest, a sequence or a time.</summary>
    public static string StartOf(SubscriptionSettings settings) => settings.StartFrom switch
    {
        { Sequence: { } sequence } => sequence.ToString(CultureInfo.InvariantCulture),
        { Time: { } time } => time.ToString("O", CultureInfo.InvariantCulture),
        _ => ToWire(settings.StartAt),
    };

    // A startAt that is neither keyword: a sequence number, or a time with its offset.
    private static SeekTarget? StartFrom(string startAt) =>
        long.TryParse(startAt, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? SeekTarget.ToSequence(sequence)
        : startAt.Contains('T', StringComparison.Ordinal) && DateTimeOffset.TryParse(startAt, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? SeekTarget.ToTime(time)
        : null;

    public static TopicDescription ToWire(TopicInfo topic) => new()
    {
        Name = topic.Name,
        Settings = new TopicConfiguration
        {
            RetentionSeconds = topic.Settings.Retention.TotalSeconds,
            MaxMessageBytes = topic.Settings.MaxMessageBytes,
            DedupWindowSeconds = topic.Settings.DedupWindow.TotalSeconds,
            DefaultTtlSeconds = topic.Settings.DefaultTimeToLive?.TotalSeconds,
            RetainAckedMessages = topic.Settings.RetainAckedMessages,
        },
        CreatedAt = topic.CreatedAt,
        LastSequence = topic.LastSequence,
        SubscriptionCount = topic.SubscriptionCount,
    };

    public static SubscriptionDescription ToWire(SubscriptionInfo subscription) => new()
    {
        Topic = subscription.Topic,
        Name = subscription.Name,
        Settings = new SubscriptionConfiguration
        {
            StartAt = StartOf(subscription.Settings),
            AckDeadlineSeconds = subscription.Settings.AckDeadline.TotalSeconds,
            MaxDeliveryAttempts = subscription.Settings.MaxDeliveryAttempts,
            MinBackoffSeconds = subscription.Settings.MinBackoff.TotalSeconds,
            MaxBackoffSeconds = subscription.Settings.MaxBackoff.TotalSeconds,
            DeadLettering = subscription.Settings.DeadLettering,
            Filter = subscription.Settings.Filter,
            DeadLetterExpired = subscription.Settings.DeadLetterExpired,
            DeadLetterTopic = subscription.Settings.DeadLetterTopic,
            ExactlyOnce = subscription.Settings.ExactlyOnce,
        },
        CreatedAt = subscription.CreatedAt,
        Stats = new SubscriptionStatistics
        {
            Backlog = subscription.Stats.Backlog,
            InFlight = subscription.Stats.InFlight,
            DeadLettered = subscription.Stats.DeadLettered,
            OldestUnackedAgeSeconds = subscription.Stats.OldestUnackedAge?.TotalSeconds,
        },
    };

    /// <summary>A seek over HTTP or the hub: exactly one of sequence and time.</summary>
    public static SeekTarget ToSeekTarget(SeekRequest? wire) =>
        wire is null || (wire.Sequence is null == wire.Time is null)
            ? throw new BrokerException(ErrorCode.InvalidArgument, "A seek needs exactly one of 'sequence' and 'time'.")
            : new SeekTarget(wire.Sequence, wire.Time);

    /// <summary>
    /// <c>data</c> (any JSON value) is stored as its UTF-8 JSON text, content type <c>application/json</c> unless
    /// one is given; <c>dataBase64</c> as the bytes it encodes. Exactly one of them is required.
    /// </summary>
    public static OutgoingMessage ToOutgoing(PublishMessage? message, int index, string topic)
    {
        if (message is null)
        {
            throw new BrokerException(ErrorCode.InvalidMessage, $"Message {index} of the batch for topic '{topic}' is null.");
        }

        var hasData = message.Data is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined };
        if (hasData == (message.DataBase64 is not null))
        {
            throw new BrokerException(ErrorCode.InvalidMessage, $"Message {index} of the batch for topic '{topic}' needs exactly one of 'data' and 'dataBase64'.");
        }

        if (hasData)
        {
            if (JsonPayloadRules.Problem(message.Data!.Value) is { } problem)
            {
                throw new BrokerException(ErrorCode.InvalidMessage, $"Message {index} of the batch for topic '{topic}' {problem}.");
            }

            var json = JsonSerializer.SerializeToUtf8Bytes(message.Data!.Value);
            return new OutgoingMessage(message.Id, json, message.ContentType ?? PayloadEncoding.JsonContentType, message.Attributes, message.OrderingKey, message.DeliverAt, TimeToLive(message, index, topic));
        }

        var bytes = new byte[message.DataBase64!.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(message.DataBase64, bytes, out var length))
        {
            throw new BrokerException(ErrorCode.InvalidMessage, $"Message {index} of the batch for topic '{topic}' has 'dataBase64' that is not valid base64.");
        }

        return new OutgoingMessage(message.Id, bytes.AsMemory(0, length), message.ContentType, message.Attributes, message.OrderingKey, message.DeliverAt, TimeToLive(message, index, topic));
    }

    private static TimeSpan? TimeToLive(PublishMessage message, int index, string topic) => message.TtlSeconds switch
    {
        null => null,
        var seconds when double.IsFinite(seconds.Value) && Math.Abs(seconds.Value) <= MaxSeconds => TimeSpan.FromSeconds(seconds.Value),
        var seconds => throw new BrokerException(ErrorCode.InvalidMessage, $"Message {index} of the batch for topic '{topic}' has 'ttlSeconds' {seconds} that is not a number of seconds."),
    };

    public static PublishResponse ToWire(PublishResult result) => new()
    {
        Results = [.. result.Outcomes.Select(o => new PublishMessageResult { Sequence = o.Sequence, Duplicate = o.Duplicate })],
    };

    public static ReceivedMessage ToWire(Delivery delivery)
    {
        var message = delivery.Message;
        var (json, base64) = Payload(message);
        return new ReceivedMessage
        {
            AckId = delivery.AckId,
            Sequence = message.Sequence,
            Id = message.MessageId,
            PublishedAt = message.PublishedAt,
            DeliveryAttempt = delivery.DeliveryAttempt,
            Data = json,
            DataBase64 = base64,

            // What MessagePack connections are sent, so they get the stored bytes rather than base64 decoded back.
            DataBytes = json is null ? message.Data : null,
            ContentType = message.ContentType,
            Attributes = message.Attributes ?? NoAttributes,
            OrderingKey = message.OrderingKey,
            DeliverAt = message.DeliverAt,
            ExpiresAt = message.ExpiresAt,
        };
    }

    public static DeadLetterMessage ToWire(DeadLetter letter)
    {
        var message = letter.Message;
        var (json, base64) = Payload(message);
        return new DeadLetterMessage
        {
            Sequence = message.Sequence,
            Id = message.MessageId,
            PublishedAt = message.PublishedAt,
            Data = json,
            DataBase64 = base64,
            ContentType = message.ContentType,
            Attributes = message.Attributes ?? NoAttributes,
            OrderingKey = message.OrderingKey,
            DeliveryAttempts = letter.DeliveryAttempts,
            Reason = letter.Reason,
            DeadLetteredAt = letter.DeadLetteredAt,
        };
    }

    /// <summary>A stored payload on the wire: as JSON when its content type is JSON, else as base64 (exactly one is set).</summary>
    private static (JsonElement? Json, string? Base64) Payload(StoredMessage message)
    {
        var json = PayloadEncoding.TryAsJson(message.Data, message.ContentType);
        return (json, json is null ? Convert.ToBase64String(message.Data.Span) : null);
    }

    public static SettleResponse ToWire(SettleResult result) => new()
    {
        Failures = [.. result.Failures.Select(f => new AckIdFailure { AckId = f.AckId, Code = f.CodeValue, Error = f.Code.ToString(), Reason = f.Reason })],
    };

    private static TimeSpan Seconds(double? value, TimeSpan fallback, string entity, string setting) => value switch
    {
        null => fallback,
        var seconds when double.IsFinite(seconds.Value) && Math.Abs(seconds.Value) <= MaxSeconds => TimeSpan.FromSeconds(seconds.Value),
        var seconds => throw BrokerException.InvalidSetting(entity, setting, $"must be a number of seconds, was {seconds}"),
    };
}
