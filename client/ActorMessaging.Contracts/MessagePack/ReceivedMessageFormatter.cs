using System.Buffers;
using MessagePack;
using MessagePack.Formatters;

namespace ActorMessaging.Contracts.MessagePack;

/// <summary>
/// <see cref="ReceivedMessage"/> in MessagePack, written and read by hand because it is every delivery: a map with
/// the JSON field names, absent fields left out, times as MessagePack timestamps, and the payload as <c>data</c>:
/// the JSON value itself for JSON content, binary (not base64) for anything else.
/// </summary>
public sealed class ReceivedMessageFormatter : IMessagePackFormatter<ReceivedMessage?>
{
    public static readonly ReceivedMessageFormatter Instance = new();

    public void Serialize(ref MessagePackWriter writer, ReceivedMessage? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteMapHeader(FieldCount(value));
        WriteFields(ref writer, value);
    }

    /// <summary>How many map entries <see cref="WriteFields"/> writes for <paramref name="value"/>.</summary>
    public static int FieldCount(ReceivedMessage value) =>
        5
        + (value.Id is null ? 0 : 1)
        + (value.ContentType is null ? 0 : 1)
        + (value.Attributes is null ? 0 : 1)
        + (value.OrderingKey is null ? 0 : 1)
        + (value.DeliverAt is null ? 0 : 1)
        + (value.ExpiresAt is null ? 0 : 1)
        + (value.Topic is null ? 0 : 1)
        + (value.Subscription is null ? 0 : 1);

    /// <summary>
    /// The map's entries without its header, so a caller can encode a message once and add fields per receiver
    /// (the gateway appends each live subscriber's <c>subscription</c>).
    /// </summary>
    public static void WriteFields(ref MessagePackWriter writer, ReceivedMessage value)
    {
        writer.Write("ackId");
        writer.Write(value.AckId);
        writer.Write("sequence");
        writer.Write(value.Sequence);
        if (value.Id is not null)
        {
            writer.Write("id");
            writer.Write(value.Id);
        }

        writer.Write("publishedAt");
        writer.Write(value.PublishedAt.UtcDateTime);
        writer.Write("deliveryAttempt");
        writer.Write(value.DeliveryAttempt);
        writer.Write("data");
        WriteData(ref writer, value);
        if (value.ContentType is not null)
        {
            writer.Write("contentType");
            writer.Write(value.ContentType);
        }

        if (value.Attributes is not null)
        {
            writer.Write("attributes");
            writer.WriteMapHeader(value.Attributes.Count);
            foreach (var (key, attribute) in value.Attributes)
            {
                writer.Write(key);
                writer.Write(attribute);
            }
        }

        WriteIfPresent(ref writer, "orderingKey", value.OrderingKey);
        WriteIfPresent(ref writer, "deliverAt", value.DeliverAt);
        WriteIfPresent(ref writer, "expiresAt", value.ExpiresAt);
        WriteIfPresent(ref writer, "topic", value.Topic);
        WriteIfPresent(ref writer, "subscription", value.Subscription);
    }

    private static void WriteData(ref MessagePackWriter writer, ReceivedMessage value)
    {
        if (value.Data is { } json)
        {
            JsonMessagePack.Write(ref writer, json);
        }
        else if (value.DataBytes is { } bytes)
        {
            writer.Write(bytes.Span);
        }
        else if (value.DataBase64 is { } base64)
        {
            writer.Write(Convert.FromBase64String(base64));
        }
        else
        {
            writer.Write(ReadOnlySpan<byte>.Empty);
        }
    }

    private static void WriteIfPresent(ref MessagePackWriter writer, string key, string? value)
    {
        if (value is not null)
        {
            writer.Write(key);
            writer.Write(value);
        }
    }

    private static void WriteIfPresent(ref MessagePackWriter writer, string key, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            writer.Write(key);
            writer.Write(time.UtcDateTime);
        }
    }

    public ReceivedMessage? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        options.Security.DepthStep(ref reader);
        try
        {
            return ReadMap(ref reader);
        }
        finally
        {
            reader.Depth--;
        }
    }

    private static ReceivedMessage ReadMap(ref MessagePackReader reader)
    {
        string ackId = "";
        long sequence = 0;
        int attempt = 0;
        DateTimeOffset publishedAt = default;
        string? id = null, contentType = null, orderingKey = null, topic = null, subscription = null, base64 = null;
        System.Text.Json.JsonElement? data = null;
        ReadOnlyMemory<byte>? bytes = null;
        Dictionary<string, string>? attributes = null;
        DateTimeOffset? deliverAt = null, expiresAt = null;

        var count = reader.ReadMapHeader();
        for (var i = 0; i < count; i++)
        {
            switch (ReadKey(ref reader))
            {
                case Field.AckId: ackId = reader.ReadString() ?? ""; break;
                case Field.Sequence: sequence = reader.ReadInt64(); break;
                case Field.Id: id = reader.ReadString(); break;
                case Field.PublishedAt: publishedAt = ReadTime(ref reader) ?? default; break;
                case Field.DeliveryAttempt: attempt = reader.ReadInt32(); break;
                case Field.Data when reader.NextMessagePackType == MessagePackType.Binary: bytes = reader.ReadBytes()?.ToArray(); break;
                case Field.Data: data = JsonMessagePack.ReadElement(ref reader); break;
                case Field.DataBase64: base64 = reader.ReadString(); break;
                case Field.ContentType: contentType = RepeatedStrings.Read(ref reader, 0); break;
                case Field.Attributes: attributes = ReadAttributes(ref reader); break;
                case Field.OrderingKey: orderingKey = reader.ReadString(); break;
                case Field.DeliverAt: deliverAt = ReadTime(ref reader); break;
                case Field.ExpiresAt: expiresAt = ReadTime(ref reader); break;
                case Field.Topic: topic = RepeatedStrings.Read(ref reader, 1); break;
                case Field.Subscription: subscription = RepeatedStrings.Read(ref reader, 2); break;

                // Fields a newer gateway adds are skipped, as a JSON reader would.
                default: reader.Skip(); break;
            }
        }

        return new ReceivedMessage
        {
            AckId = ackId,
            Sequence = sequence,
            Id = id,
            PublishedAt = publishedAt,
            DeliveryAttempt = attempt,
            Data = data,
            DataBase64 = base64,
            DataBytes = bytes,
            ContentType = contentType,
            Attributes = attributes,
            OrderingKey = orderingKey,
            DeliverAt = deliverAt,
            ExpiresAt = expiresAt,
            Topic = topic,
            Subscription = subscription,
        };
    }

    private static DateTimeOffset? ReadTime(ref MessagePackReader reader) => reader.NextMessagePackType switch
    {
        MessagePackType.Nil => ReadNil(ref reader),
        MessagePackType.String => DateTimeOffset.Parse(reader.ReadString()!, System.Globalization.CultureInfo.InvariantCulture),
        _ => new DateTimeOffset(reader.ReadDateTime(), TimeSpan.Zero),
    };

    private static DateTimeOffset? ReadNil(ref MessagePackReader reader)
    {
        reader.ReadNil();
        return null;
    }

    private static Dictionary<string, string>? ReadAttributes(ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        var count = reader.ReadMapHeader();
        var attributes = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            attributes[reader.ReadString()!] = reader.ReadString() ?? "";
        }

        return attributes;
    }

    private enum Field
    {
        Unknown,
        AckId,
        Sequence,
        Id,
        PublishedAt,
        DeliveryAttempt,
        Data,
        DataBase64,
        ContentType,
        Attributes,
        OrderingKey,
        DeliverAt,
        ExpiresAt,
        Topic,
        Subscription,
    }

    // Keys are compared as UTF-8 where they lie: a string per key per message was a third of the reading.
    private static Field ReadKey(ref MessagePackReader reader)
    {
        if (!reader.TryReadStringSpan(out var key))
        {
            key = reader.ReadStringSequence() is { } sequence ? sequence.ToArray() : default;
        }

        return key switch
        {
            _ when key.SequenceEqual("ackId"u8) => Field.AckId,
            _ when key.SequenceEqual("sequence"u8) => Field.Sequence,
            _ when key.SequenceEqual("id"u8) => Field.Id,
            _ when key.SequenceEqual("publishedAt"u8) => Field.PublishedAt,
            _ when key.SequenceEqual("deliveryAttempt"u8) => Field.DeliveryAttempt,
            _ when key.SequenceEqual("data"u8) => Field.Data,
            _ when key.SequenceEqual("dataBase64"u8) => Field.DataBase64,
            _ when key.SequenceEqual("contentType"u8) => Field.ContentType,
            _ when key.SequenceEqual("attributes"u8) => Field.Attributes,
            _ when key.SequenceEqual("orderingKey"u8) => Field.OrderingKey,
            _ when key.SequenceEqual("deliverAt"u8) => Field.DeliverAt,
            _ when key.SequenceEqual("expiresAt"u8) => Field.ExpiresAt,
            _ when key.SequenceEqual("topic"u8) => Field.Topic,
            _ when key.SequenceEqual("subscription"u8) => Field.Subscription,
            _ => Field.Unknown,
        };
    }

    /// <summary>
    /// Content type, topic and subscription repeat from one message to the next; each thread remembers the last
    /// of each and hands out the same string when the bytes match, instead of a new one per message.
    /// </summary>
    private static class RepeatedStrings
    {
        [ThreadStatic]
        private static (byte[] Utf8, string Value)[]? _last;

        public static string? Read(ref MessagePackReader reader, int slot)
        {
            if (reader.TryReadNil())
            {
                return null;
            }

            if (!reader.TryReadStringSpan(out var utf8))
            {
                return reader.ReadString();
            }

            var last = _last ??= new (byte[], string)[3];
            if (last[slot].Value is { } value && utf8.SequenceEqual(last[slot].Utf8))
            {
                return value;
            }

            value = System.Text.Encoding.UTF8.GetString(utf8);
            last[slot] = (utf8.ToArray(), value);
            return value;
        }
    }
}
