namespace ActorMessaging.Gateway.Hubs.Live;

/// <summary>
/// A message for live subscribers, serialized once per gateway: the <c>Deliver</c> JSON of the message without
/// its <c>subscription</c> field, which <see cref="LiveFrame"/> appends per connection. <see cref="Message"/> is the
/// decoded message it was made from, which subscribers with a filter evaluate without reading the JSON back.
/// </summary>
internal sealed record LiveMessage(StoredMessage Message, ReadOnlyMemory<byte> Json)
{
    public long Sequence => Message.Sequence;
}
