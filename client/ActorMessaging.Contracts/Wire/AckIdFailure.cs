namespace ActorMessaging.Contracts;

/// <summary>One ack id that an ack, nack or extend could not apply, and why.</summary>
public sealed record AckIdFailure
{
    /// <summary>The ack id as it was sent.</summary>
    public required string AckId { get; init; }

    /// <summary>The numeric <see cref="ActorMessaging.ErrorCode"/>: usually <c>AckIdUnknown</c> (3001) or <c>AckIdExpired</c> (3002); <c>AckNotDurable</c> (3004) when an exactly-once subscription could not save an ack.</summary>
    public required int Code { get; init; }

    /// <summary>The name of the <see cref="ActorMessaging.ErrorCode"/>.</summary>
    public required string Error { get; init; }

    /// <summary>Why, in words.</summary>
    public required string Reason { get; init; }
}
