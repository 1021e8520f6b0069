namespace ActorMessaging;

/// <summary>One ack id that an ack, nack or extend call could not apply, and why.</summary>
[GenerateSerializer, Immutable, Alias("am.settle-failure")]
public sealed record SettleFailure(
    [property: Id(0)] string AckId,
    [property: Id(1)] int CodeValue,
    [property: Id(2)] string Reason)
{
    public SettleFailure(string ackId, ErrorCode code, string reason)
        : this(ackId, (int)code, reason)
    {
    }

    public ErrorCode Code => (ErrorCode)CodeValue;
}
