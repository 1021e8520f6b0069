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
    public int Bytes => Messages.Sum(m => m.Json.Length);

    private sealed class LiveFrameConverter : JsonConverter<LiveFrame>
    {
        public override LiveFrame Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Live frames are only written.");

        public override void Write(Utf8JsonWriter writer, LiveFrame value, JsonSerializerOptions options)
        {
            // Live subscription names are "live-" and hex digits: nothing to escape.
            var suffix = Encoding.UTF8.GetBytes($",\"subscription\":\"{value.Subscription}\"}}");
            var buffer = new ArrayBufferWriter<byte>(value.Bytes + (value.Messages.Count * (suffix.Length + 1)) + 2);
            buffer.Write("["u8);
            for (var i = 0; i < value.Messages.Count; i++)
            {
                if (i > 0)
                {
                    buffer.Write(","u8);
                }

                var json = value.Messages[i].Json.Span;
                buffer.Write(json[..^1]);
                buffer.Write(suffix);
            }

            buffer.Write("]"u8);
            writer.WriteRawValue(buffer.WrittenSpan, skipInputValidation: true);
        }
    }
}
