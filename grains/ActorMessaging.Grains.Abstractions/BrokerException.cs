namespace ActorMessaging;

/// <summary>
/// The one exception grains throw for anything a caller can act on. It crosses silo and client
/// boundaries with its <see cref="Code"/>, so the gateway maps it in one place.
/// </summary>
[GenerateSerializer, Alias("am.exception")]
public sealed class BrokerException : Exception
{
    public BrokerException(ErrorCode code, string message)
        : base(message) => CodeValue = (int)code;

    public BrokerException(ErrorCode code, string message, Exception? innerException)
        : base(message, innerException) => CodeValue = (int)code;

    // The enum lives in the Orleans-free contracts assembly; its number is what crosses the wire.
    [Id(0)]
    private int CodeValue { get; init; }

    public ErrorCode Code => (ErrorCode)CodeValue;

    public bool IsTransient => Code.IsTransient();

    public static BrokerException TopicNotFound(string topic) =>
        new(ErrorCode.TopicNotFound, $"Topic '{topic}' not found.");

    public static BrokerException SubscriptionNotFound(string topic, string subscription) =>
        new(ErrorCode.SubscriptionNotFound, $"Subscription '{subscription}' of topic '{topic}' not found.");

    public static BrokerException InvalidSetting(string entity, string setting, string rule) =>
        new(ErrorCode.InvalidSetting, $"Invalid setting '{setting}' for {entity}: {rule}.");
}
