namespace ActorMessaging.Gateway.Hubs.Live;

/// <summary>Sequences <see cref="FirstMissing"/> up to (not including) <see cref="NextAvailable"/> that the topic's log no longer holds.</summary>
internal readonly record struct SequenceGap(long FirstMissing, long NextAvailable);
