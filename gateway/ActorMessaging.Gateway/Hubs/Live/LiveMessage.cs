namespace ActorMessaging.Gateway.Hubs.Live;

/// <summary>
/// A message for live subscribers, serialized once per gateway: the <c>Deliver</c> JSON of the message without
/// its <c>subscription</c> field, which <see cref="LiveFrame"/> appends per connection.
/// </summary>
internal sealed record LiveMessage(long Sequence, ReadOnlyMemory<byte> Json);
