namespace ActorMessaging.Client;

/// <summary>One ack id that an ack, nack or extend could not apply, and why (for example its lease had ended).</summary>
/// <param name="AckId">The ack id as it was sent.</param>
/// <param name="Code">Why: usually <see cref="ErrorCode.AckIdExpired"/> or <see cref="ErrorCode.AckIdUnknown"/>; <see cref="ErrorCode.AckNotDurable"/> when an exactly-once subscription could not save the ack.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record ActorMessagingAckFailure(string AckId, ErrorCode Code, string Reason)
{
    /// <summary>This failure as an exception, naming the subscription.</summary>
    /// <param name="topic">The topic.</param>
    /// <param name="subscription">The subscription.</param>
    /// <param name="operation">What was attempted, for example <c>Ack</c>.</param>
    /// <returns>The exception.</returns>
    public ActorMessagingException ToException(string topic, string subscription, string operation) =>
        new(Code, $"{operation} of a delivery of subscription '{subscription}' of topic '{topic}' did not apply: {Reason}");
}
