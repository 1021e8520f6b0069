namespace ActorMessaging.E2E.Tests.Chaos;

/// <summary>A message a chaos processor received (at-least-once may repeat it; <paramref name="Attempt"/> counts).</summary>
internal sealed record ObservedDelivery(string Topic, string Subscription, string Id, long Sequence, int Attempt, TimeSpan At);
