namespace ActorMessaging.E2E.Tests.Chaos;

/// <summary>An exactly-once ack the broker confirmed: the message must never be delivered again.</summary>
internal sealed record SucceededAck(string Topic, string Subscription, string Id, TimeSpan At);
