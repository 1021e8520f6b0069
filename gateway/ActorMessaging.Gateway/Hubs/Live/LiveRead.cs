namespace ActorMessaging.Gateway.Hubs.Live;

/// <summary>
/// What a live subscriber read from the topic's log: the messages (those its filter matches), the sequence to read
/// next, and the range before the messages that retention deleted, if any (it is reported, never skipped silently).
/// </summary>
internal sealed record LiveRead(IReadOnlyList<LiveMessage> Messages, long Next, SequenceGap? Gap);
