namespace ActorMessaging.Testing.Fuzz;

/// <summary>What one seeded HTTP fuzz run found: requests sent, how many were refused (4xx), each 5xx, and the messages accepted into the real topic.</summary>
public sealed record HttpFuzzOutcome(int Seed, int Requests, int Refused, IReadOnlyList<string> ServerErrors, long AcceptedPublishes);
