using System.Buffers;
using ActorMessaging.Contracts;
using ActorMessaging.Contracts.MessagePack;
using MessagePack;

namespace ActorMessaging.Gateway.Hubs.Live;

/// <summary>
/// A message for live subscribers, serialized once per gateway: the <c>Deliver</c> JSON of the message without
/// its <c>subscription</c> field, which <see cref="LiveFrame"/> appends per connection. <see cref="Message"/> is the
/// decoded message it was made from, which subscribers with a filter evaluate without reading the JSON back.
/// The MessagePack form is made the first time a MessagePack connection needs it, then shared the same way.
/// </summary>
internal sealed record LiveMessage(StoredMessage Message, ReceivedMessage Wire, ReadOnlyMemory<byte> Json)
{
    private MessagePackFields? _messagePack;

    public long Sequence => Message.Sequence;

    /// <summary>The message's MessagePack map entries (without <c>subscription</c>) and how many there are.</summary>
    public MessagePackFields MessagePack => Volatile.Read(ref _messagePack) ?? Encode();

    private MessagePackFields Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(Json.Length);
        var writer = new MessagePackWriter(buffer);
        ReceivedMessageFormatter.WriteFields(ref writer, Wire);
        writer.Flush();

        // Two connections may encode at once; either result is the same bytes.
        var fields = new MessagePackFields(ReceivedMessageFormatter.FieldCount(Wire), buffer.WrittenMemory);
        Volatile.Write(ref _messagePack, fields);
        return fields;
    }
}

/// <summary>Map entries written once, with their count for the map header a frame writes before them.</summary>
internal sealed record MessagePackFields(int Count, ReadOnlyMemory<byte> Bytes);
