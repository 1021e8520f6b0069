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
            switch (reader.ReadString())
            {
                case "ackId": ackId = reader.ReadString() ?? ""; break;
                case "sequence": sequence = reader.ReadInt64(); break;
                case "id": id = reader.ReadString(); break;
                case "publishedAt": publishedAt = ReadTime(ref reader) ?? default; break;
                case "deliveryAttempt": attempt = reader.ReadInt32(); break;
                case "data" when reader.NextMessagePackType == MessagePackType.Binary: bytes = reader.ReadBytes()?.ToArray(); break;
                case "data": data = JsonMessagePack.ReadElement(ref reader); break;
                case "dataBase64": base64 = reader.ReadString(); break;
                case "contentType": contentType = reader.ReadString(); break;
                case "attributes": attributes = ReadAttributes(ref reader); break;
                case "orderingKey": orderingKey = reader.ReadString(); break;
                case "deliverAt": deliverAt = ReadTime(ref reader); break;
                case "expiresAt": expiresAt = ReadTime(ref reader); break;
                case "topic": topic = reader.ReadString(); break;
                case "subscription": subscription = reader.ReadString(); break;

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
}
