using System.Text.Json;
using MessagePack;
using MessagePack.Formatters;

namespace ActorMessaging.Contracts.MessagePack;

/// <summary>
/// Encodes a wire type as its JSON shape in MessagePack (<see cref="JsonMessagePack"/>): the JSON serializer stays the
/// one definition of every field, its name and its validation, and both hub protocols carry the same shapes.
/// </summary>
internal sealed class JsonBridgeFormatter<T>(JsonSerializerOptions json) : IMessagePackFormatter<T?>
{
    public void Serialize(ref MessagePackWriter writer, T? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        JsonMessagePack.Write(ref writer, JsonSerializer.SerializeToElement(value, json));
    }

    public T? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return default;
        }

        var utf8 = JsonMessagePack.ReadUtf8(ref reader);
        try
        {
            return JsonSerializer.Deserialize<T>(utf8.Span, json);
        }
        catch (JsonException exception)
        {
            // The message names the field and what was wrong with it, as it would for the JSON protocol.
            throw new MessagePackSerializationException($"Invalid {typeof(T).Name}: {exception.Message}", exception);
        }
    }
}
