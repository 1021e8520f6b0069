using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorMessaging.Gateway.Hubs.Live;

/// <summary>
/// The argument of one <c>Deliver</c> call to a live subscriber: messages serialized once for every connection,
/// written as they are with this subscription's name added to each. Per connection that is a copy, not a
/// serialization, which is what lets one topic fan out to many connections cheaply.
/// </summary>
[JsonConverter(typeof(LiveFrameConverter))]
internal sealed record LiveFrame(string Subscription, IReadOnlyList<LiveMessage> Messages)
{
    private sealed class LiveFrameConverter : JsonConverter<LiveFrame>
    {
        public override LiveFrame Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Live frames are only written.");

        public override void Write(Utf8JsonWriter writer, LiveFrame value, JsonSerializerOptions options)
        {
            // Live subscription names are "live-" and hex digits: nothing to escape.
            Span<byte> suffix = stackalloc byte[64];
            var suffixLength = Encoding.UTF8.GetBytes($",\"subscription\":\"{value.Subscription}\"}}", suffix);
            var buffer = ArrayPool<byte>.Shared.Rent(4096);
            try
            {
                writer.WriteStartArray();
                foreach (var message in value.Messages)
                {
                    var json = message.Json.Span;
                    var length = json.Length - 1 + suffixLength;
                    if (buffer.Length < length)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = ArrayPool<byte>.Shared.Rent(length);
                    }

                    json[..^1].CopyTo(buffer);
                    suffix[..suffixLength].CopyTo(buffer.AsSpan(json.Length - 1));
                    writer.WriteRawValue(buffer.AsSpan(0, length), skipInputValidation: true);
                }

                writer.WriteEndArray();
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
