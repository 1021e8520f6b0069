using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;
using MessagePack;

namespace ActorMessaging.Contracts.MessagePack;

/// <summary>
/// Moves values between JSON and MessagePack, so that a wire shape means the same in both hub protocols: an object
/// is a map with the same (camelCase) keys, an array an array, numbers, strings, booleans and null themselves.
/// MessagePack has two kinds JSON lacks: binary becomes a base64 string (under a wire type's key <c>data</c>, the
/// <c>dataBase64</c> field, which is what binary data is in JSON; keys inside a payload stay as they are) and a
/// timestamp an ISO 8601 string. JSON numbers no double holds (<c>1e400</c>) become their text.
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
                writer.Write(StringOf(value));
                break;
            case JsonValueKind.Number when value.TryGetInt64(out var integer):
                writer.Write(integer);
                break;
            case JsonValueKind.Number when value.TryGetUInt64(out var unsigned):
                writer.Write(unsigned);
                break;
            case JsonValueKind.Number when value.TryGetDouble(out var real) && double.IsFinite(real):
                writer.Write(real);
                break;
            case JsonValueKind.Number:
                // Valid JSON (1e400) that no MessagePack number holds: its text, rather than infinity, which has no JSON form to come back to.
                writer.Write(value.GetRawText());
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

    /// <summary>
    /// The string's value. JSON may escape half a surrogate pair (<c>"\ud800"</c>), which System.Text.Json refuses to
    /// read as a string; its JSON escapes are undone the same way, and the MessagePack writer (UTF-8) replaces the half
    /// with U+FFFD rather than failing the whole delivery.
    /// </summary>
    private static string StringOf(JsonElement value)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return Regex.Unescape(value.GetRawText()[1..^1]);
        }
    }

    /// <summary>Reads one MessagePack value and writes it as JSON.</summary>
    /// <exception cref="MessagePackSerializationException">The value has no JSON form (a map key that is not a string, an unknown extension, NaN or infinity) or nests deeper than <see cref="MaxDepth"/>.</exception>
    public static void Read(ref MessagePackReader reader, Utf8JsonWriter json) => Read(ref reader, json, 0, inPayload: false);

    /// <summary>Reads one MessagePack value as a <see cref="JsonElement"/>.</summary>
    public static JsonElement ReadElement(ref MessagePackReader reader)
    {
        using var document = JsonDocument.Parse(ReadUtf8(ref reader));
        return document.RootElement.Clone();
    }

    /// <summary>Reads one MessagePack value as UTF-8 JSON text.</summary>
    public static ReadOnlyMemory<byte> ReadUtf8(ref MessagePackReader reader)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            Read(ref reader, json);
        }

        return buffer.WrittenMemory;
    }

    // inPayload: inside a data value, whose keys are the payload's own and never renamed.
    private static void Read(ref MessagePackReader reader, Utf8JsonWriter json, int depth, bool inPayload)
    {
        if (depth > MaxDepth)
        {
            throw new MessagePackSerializationException($"MessagePack value nests deeper than {MaxDepth} levels.");
        }

        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Map:
                var count = reader.ReadMapHeader();
                json.WriteStartObject();
                var sawDataBase64 = false;
                for (var i = 0; i < count; i++)
                {
                    if (reader.NextMessagePackType != MessagePackType.String)
                    {
                        throw new MessagePackSerializationException("MessagePack map keys must be strings.");
                    }

                    var key = reader.ReadString()!;
                    var isData = !inPayload && key == "data";
                    if (isData && reader.NextMessagePackType == MessagePackType.Binary && !sawDataBase64 && !HasKeyAhead(reader.CreatePeekReader(), count - i - 1, "dataBase64"))
                    {
                        key = "dataBase64";
                    }

                    sawDataBase64 |= key == "dataBase64";
                    json.WritePropertyName(key);
                    Read(ref reader, json, depth + 1, inPayload || isData);
                }

                json.WriteEndObject();
                break;
            case MessagePackType.Array:
                var length = reader.ReadArrayHeader();
                json.WriteStartArray();
                for (var i = 0; i < length; i++)
                {
                    Read(ref reader, json, depth + 1, inPayload);
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
                var real = reader.ReadDouble();
                if (!double.IsFinite(real))
                {
                    throw new MessagePackSerializationException($"MessagePack float {real} has no JSON form.");
                }

                json.WriteNumberValue(real);
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

    /// <summary>
    /// Whether one of the <paramref name="entries"/> after the current one of a map has <paramref name="key"/>. Binary
    /// <c>data</c> stays <c>data</c> when the map has <c>dataBase64</c> as well, so that the message gives both fields and
    /// fails as it would in JSON, instead of one silently replacing the other.
    /// </summary>
    private static bool HasKeyAhead(MessagePackReader map, int entries, string key)
    {
        map.Skip();
        for (var i = 0; i < entries; i++)
        {
            // A key that is not a string fails when the caller's loop reaches it.
            if (map.NextMessagePackType != MessagePackType.String)
            {
                return false;
            }

            if (map.ReadString() == key)
            {
                return true;
            }

            map.Skip();
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
