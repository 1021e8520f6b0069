using MessagePack;
using MessagePack.Formatters;

namespace ActorMessaging.Gateway.Hubs.Live;

/// <summary>
/// A <see cref="LiveFrame"/> over the MessagePack protocol: each message's entries as encoded once for the gateway,
/// behind a map header one larger, then this connection's <c>subscription</c>; per connection that is a copy.
/// </summary>
internal sealed class LiveFrameMessagePackFormatter : IMessagePackFormatter<LiveFrame?>
{
    public void Serialize(ref MessagePackWriter writer, LiveFrame? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteArrayHeader(value.Messages.Count);
        foreach (var message in value.Messages)
        {
            var fields = message.MessagePack;
            writer.WriteMapHeader(fields.Count + 1);
            writer.WriteRaw(fields.Bytes.Span);
            writer.Write("subscription");
            writer.Write(value.Subscription);
        }
    }

    public LiveFrame Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
        throw new NotSupportedException("Live frames are only written.");
}
