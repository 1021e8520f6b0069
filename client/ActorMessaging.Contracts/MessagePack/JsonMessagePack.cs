using System.Buffers;
using System.Text.Json;
using MessagePack;

namespace ActorMessaging.Contracts.MessagePack;

/// <summary>
/// Moves values between JSON and MessagePack, so that a wire shape means the same in both hub protocols: an object
/// is a map with the same (camelCase) keys, an array an array, numbers, strings, booleans and null themselves.
/// MessagePack has two kinds JSON lacks: binary becomes a base64 string (a wire type's binary <c>data</c> becomes its
/// <c>dataBase64</c> field, which is what binary data is in JSON; deeper down, inside a payload, keys stay as they are)
/// and a timestamp an ISO 8601 string.
/// </summary>
public static class JsonMessagePack
{
    /// <summary>Deeper than any wire shape; a limit so hostile input cannot exhaust the stack.</summary>
    public const int MaxDepth = 64;

    /// <summary>Writes <paramref name="value"/> as the MessagePack value with the same structure.</summary>
    public static void Write(ref MessagePackWriter writer, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var count = 0;
                foreach (var _ in value.EnumerateObject())
                {
                    count++;
                }

                writer.WriteMapHeader(count);
                foreach (var property in value.EnumerateObject())
                {
                    writer.Write(property.Name);
                    Write(ref writer, property.Value);
                }

                break;
            case JsonValueKind.Array:
                writer.WriteArrayHeader(value.GetArrayLength());
                foreach (var item in value.EnumerateArray())
                {
                    Write(ref writer, item);
                }

                break;
            case JsonValueKind.String:
                writer.Write(value.GetString());
                break;
            case JsonValueKind.Number when value.TryGetInt64(out var integer):
                writer.Write(integer);
                break;
            case JsonValueKind.Number when value.TryGetUInt64(out var unsigned):
                writer.Write(unsigned);
                break;
            case JsonValueKind.Number:
                writer.Write(value.GetDouble());
                break;
            case JsonValueKind.True:
                writer.Write(true);
                break;
            case JsonValueKind.False:
                writer.Write(false);
                break;
            default:
                writer.WriteNil();
                break;
        }
    }

    /// <summary>Reads one MessagePack value and writes it as JSON.</summary>
    /// <exception cref="MessagePackSerializationException">The value has no JSON form (a map key that is not a string, an unknown extension) or nests deeper than <see cref="MaxDepth"/>.</exception>
    public static void Read(ref MessagePackReader reader, Utf8JsonWriter json) => Read(ref reader, json, 0);

    /// <summary>Reads one MessagePack value as a <see cref="JsonElement"/>.</summary>
    public static JsonElement ReadElement(ref MessagePackReader reader)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            Read(ref reader, json);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static void Read(ref MessagePackReader reader, Utf8JsonWriter json, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new MessagePackSerializationException($"MessagePack value nests deeper than {MaxDepth} levels.");
        }

        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Map:
                var count = reader.ReadMapHeader();
                var hasDataBase64 = false;
                json.WriteStartObject();
                for (var i = 0; i < count; i++)
                {
                    if (reader.NextMessagePackType != MessagePackType.String)
                    {
                        throw new MessagePackSerializationException("MessagePack map keys must be strings.");
                    }

                    var key = reader.ReadString()!;
                    hasDataBase64 |= key == "dataBase64";

                    // With "dataBase64" in the map as well, binary "data" keeps its name (as a base64 string), so the
                    // pair is rejected as over JSON ("exactly one of") instead of one payload silently replacing the other.
                    if (depth == 0 && reader.NextMessagePackType == MessagePackType.Binary && key == "data" && !hasDataBase64 && !HasKeyLater(reader, "dataBase64", count - i - 1))
                    {
                        key = "dataBase64";
                    }

                    json.WritePropertyName(key);
                    Read(ref reader, json, depth + 1);
                }

                json.WriteEndObject();
                break;
            case MessagePackType.Array:
                var length = reader.ReadArrayHeader();
                json.WriteStartArray();
                for (var i = 0; i < length; i++)
                {
                    Read(ref reader, json, depth + 1);
                }

                json.WriteEndArray();
                break;
            case MessagePackType.String:
                json.WriteStringValue(reader.ReadString());
                break;
            case MessagePackType.Integer when reader.NextCode == MessagePackCode.UInt64:
                json.WriteNumberValue(reader.ReadUInt64());
                break;
            case MessagePackType.Integer:
                json.WriteNumberValue(reader.ReadInt64());
                break;
            case MessagePackType.Float:
                json.WriteNumberValue(reader.ReadDouble());
                break;
            case MessagePackType.Boolean:
                json.WriteBooleanValue(reader.ReadBoolean());
                break;
            case MessagePackType.Binary:
                var bytes = reader.ReadBytes()!.Value;
                json.WriteBase64StringValue(bytes.IsSingleSegment ? bytes.FirstSpan : bytes.ToArray());
                break;
            case MessagePackType.Extension when reader.TryReadTimestamp(out var time):
                json.WriteStringValue(new DateTimeOffset(time, TimeSpan.Zero));
                break;
            case MessagePackType.Nil:
                reader.ReadNil();
                json.WriteNullValue();
                break;
            default:
                throw new MessagePackSerializationException($"MessagePack {reader.NextMessagePackType} (code {reader.NextCode}) has no JSON form.");
        }
    }

    /// <summary>Whether one of the <paramref name="remaining"/> map entries after the value at <paramref name="reader"/> has the key <paramref name="key"/>.</summary>
    private static bool HasKeyLater(MessagePackReader reader, string key, int remaining)
    {
        var peek = reader.CreatePeekReader();
        peek.Skip();
        for (var i = 0; i < remaining && peek.NextMessagePackType == MessagePackType.String; i++)
        {
            if (peek.ReadString() == key)
            {
                return true;
            }

            peek.Skip();
        }

        return false;
    }

    private static bool TryReadTimestamp(this ref MessagePackReader reader, out DateTime time)
    {
        var peek = reader.CreatePeekReader();
        if (peek.ReadExtensionFormatHeader().TypeCode == ReservedMessagePackExtensionTypeCode.DateTime)
        {
            time = reader.ReadDateTime();
            return true;
        }

        time = default;
        return false;
    }
}
