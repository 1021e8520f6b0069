namespace ActorMessaging;

/// <summary>Result of an ack, nack or extend batch: the ids that did not apply. Every other id applied.</summary>
[GenerateSerializer, Immutable, Alias("am.settle-result")]
public sealed record SettleResult([property: Id(0)] IReadOnlyList<SettleFailure> Failures)
{
    public static SettleResult Success { get; } = new([]);

    public bool AllSucceeded => Failures.Count == 0;
}
