namespace ActorMessaging;

/// <summary>Outcomes of a publish batch, in the order of the batch. Returned only once the batch is durable.</summary>
[GenerateSerializer, Immutable, Alias("am.publish-result")]
public sealed record PublishResult([property: Id(0)] IReadOnlyList<PublishOutcome> Outcomes);
