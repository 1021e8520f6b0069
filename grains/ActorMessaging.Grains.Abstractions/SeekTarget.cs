namespace ActorMessaging;

/// <summary>Where to move a subscription's cursor (or where a new one starts): a sequence or a publish time, exactly one of them.</summary>
[GenerateSerializer, Immutable, Alias("am.seek-target")]
public sealed record SeekTarget(
    [property: Id(0)] long? Sequence = null,
    [property: Id(1)] DateTimeOffset? Time = null)
{
    public static SeekTarget ToSequence(long sequence) => new(Sequence: sequence);

    public static SeekTarget ToTime(DateTimeOffset time) => new(Time: time);

    public override string ToString() => Sequence is { } sequence ? $"sequence {sequence}" : $"time {Time:O}";
}
