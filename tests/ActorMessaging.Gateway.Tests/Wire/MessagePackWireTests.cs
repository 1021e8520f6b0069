using System.Buffers;
using System.Text;
using System.Text.Json;
using ActorMessaging.Contracts;
using ActorMessaging.Contracts.MessagePack;
using MessagePack;

namespace ActorMessaging.Gateway.Tests;

/// <summary>The MessagePack wire format of the hub: JSON shapes moved to MessagePack and back, and the hand-written <see cref="ReceivedMessage"/>.</summary>
public sealed class MessagePackWireTests
{
    private static MessagePackSerializerOptions Options => ActorMessagingMessagePack.SerializerOptions;

    public static TheoryData<string> JsonValues() =>
    [
        "{}",
        "[]",
        """{"a":1,"b":"two","c":[1,[2,[3,{}]],{"d":{"e":null}}]}""",
        """["héllo ✓ 🎉","\u0000\t\n\"quoted\" \\ <tag> &amp; 'single'",""]""",
        """{"ключ":"значение","😀":"🎉"}""",
        "[0,-1,127,128,-32,-33,255,256,-129,65535,65536,4294967295,4294967296,9223372036854775807,-9223372036854775808,18446744073709551615]",
        "[1.5,-0.25,1e300,-1e-300,3.141592653589793,5e-324]",
        "[true,false,null]",
        "\"just a string\"",
        "42",
        "null",
    ];

    [Theory]
    [MemberData(nameof(JsonValues))]
    public void Json_RoundTripsThroughMessagePack(string json)
    {
        var value = Parse(json);

        var back = ToJson(ToMessagePack(value));

        Assert.True(JsonElement.DeepEquals(value, back), $"{json} came back as {back.GetRawText()}");
    }

    [Fact]
    public void Numbers_AreMessagePackIntegersAndFloats_OfFullRange()
    {
        var packed = ToMessagePack(Parse("[9223372036854775807,-9223372036854775808,18446744073709551615,1.5]"));

        var reader = new MessagePackReader(packed);
        Assert.Equal(4, reader.ReadArrayHeader());
        Assert.Equal(long.MaxValue, reader.ReadInt64());
        Assert.Equal(long.MinValue, reader.ReadInt64());
        Assert.Equal(ulong.MaxValue, reader.ReadUInt64());
        Assert.Equal(MessagePackType.Float, reader.NextMessagePackType);
        Assert.Equal(1.5, reader.ReadDouble());
        Assert.Equal("[9223372036854775807,-9223372036854775808,18446744073709551615,1.5]", ToJson(packed).GetRawText());
    }

    [Fact]
    public void Strings_AreMessagePackStrings_InUtf8()
    {
        var packed = ToMessagePack(Parse("\"héllo ✓ 🎉\""));

        var reader = new MessagePackReader(packed);
        Assert.Equal("héllo ✓ 🎉", reader.ReadString());
        Assert.Equal("héllo ✓ 🎉", ToJson(packed).GetString());
    }

    [Fact]
    public void JsonNumbers_NoDoubleHolds_TravelAsTheirText()
    {
        // Valid JSON (the gateway stores and delivers it as is) with no MessagePack number to carry it.
        var back = ToJson(ToMessagePack(Parse("""{"big":1e400,"small":-1e400}""")));

        Assert.Equal("1e400", back.GetProperty("big").GetString());
        Assert.Equal("-1e400", back.GetProperty("small").GetString());
    }

    [Fact]
    public void JsonStrings_WithALoneSurrogate_TravelWithAReplacementCharacter()
    {
        // Valid JSON text that is no valid UTF-16 (nor UTF-8, which MessagePack strings are).
        var back = ToJson(ToMessagePack(Parse("""["a\ud800b","\udc00"]""")));

        Assert.Equal(["a\uFFFDb", "\uFFFD"], back.EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Binary_IsBase64_AndBinaryData_IsDataBase64()
    {
        var json = Read((ref w) =>
        {
            w.WriteMapHeader(3);
            w.Write("data");
            w.Write(new byte[] { 1, 2, 3 });
            w.Write("other");
            w.Write(new byte[] { 255 });
            w.Write("list");
            w.WriteArrayHeader(1);
            w.Write(new byte[] { 0 });
        });

        Assert.Equal("""{"dataBase64":"AQID","other":"/w==","list":["AA=="]}""", json);
    }

    [Fact]
    public void BinaryData_NestedInAPayload_KeepsItsKey()
    {
        // Only the wire type's own data field is renamed, never a key of the payload inside it.
        var json = Read((ref w) =>
        {
            w.WriteMapHeader(1);
            w.Write("data");
            w.WriteMapHeader(1);
            w.Write("data");
            w.Write(new byte[] { 1 });
        });

        Assert.Equal("""{"data":{"data":"AQ=="}}""", json);
    }

    [Fact]
    public void BinaryData_WithDataBase64_StaysData_SoBothAreGiven()
    {
        void Map(ref MessagePackWriter w, bool dataFirst)
        {
            w.WriteMapHeader(2);
            for (var i = 0; i < 2; i++)
            {
                if ((i == 0) == dataFirst)
                {
                    w.Write("data");
                    w.Write(new byte[] { 1 });
                }
                else
                {
                    w.Write("dataBase64");
                    w.Write("Ag==");
                }
            }
        }

        Assert.Equal("""{"data":"AQ==","dataBase64":"Ag=="}""", Read((ref w) => Map(ref w, dataFirst: true)));
        Assert.Equal("""{"dataBase64":"Ag==","data":"AQ=="}""", Read((ref w) => Map(ref w, dataFirst: false)));
    }

    [Fact]
    public void Timestamp_IsAnIso8601String()
    {
        var time = new DateTime(2026, 5, 4, 3, 2, 1, DateTimeKind.Utc).AddTicks(1234567);

        var json = Read((ref w) => w.Write(time));

        Assert.Equal(new DateTimeOffset(time), DateTimeOffset.Parse(JsonSerializer.Deserialize<string>(json)!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Nesting_IsLimited_AsJsonLimitsIt()
    {
        static WriteAction Nested(int levels) => (ref w) =>
        {
            for (var i = 0; i < levels; i++)
            {
                w.WriteArrayHeader(1);
            }

            w.Write(1);
        };

        Assert.StartsWith(new string('[', JsonMessagePack.MaxDepth) + "1]", Read(Nested(JsonMessagePack.MaxDepth)), StringComparison.Ordinal);
        var error = Assert.Throws<MessagePackSerializationException>(() => Read(Nested(JsonMessagePack.MaxDepth + 1)));
        Assert.Contains("deeper than 64", error.Message, StringComparison.Ordinal);
        Assert.Throws<MessagePackSerializationException>(() => Read(Nested(100_000)));
    }

    [Fact]
    public void ValuesWithoutAJsonForm_AreErrors()
    {
        var key = Assert.Throws<MessagePackSerializationException>(() => Read((ref w) =>
        {
            w.WriteMapHeader(1);
            w.Write(1);
            w.Write("value");
        }));
        Assert.Contains("map keys must be strings", key.Message, StringComparison.Ordinal);
        Assert.Throws<MessagePackSerializationException>(() => Read((ref w) => w.Write(double.NaN)));
        Assert.Throws<MessagePackSerializationException>(() => Read((ref w) => w.Write(float.PositiveInfinity)));
        Assert.Throws<MessagePackSerializationException>(() => Read((ref w) => w.WriteExtensionFormat(new ExtensionResult(5, new byte[] { 1 }))));
    }

    [Fact]
    public void PublishMessage_FromMessagePack_TakesBinaryDataAsBytes()
    {
        var packed = Write((ref w) =>
        {
            w.WriteMapHeader(4);
            w.Write("id");
            w.Write("m");
            w.Write("data");
            w.Write(new byte[] { 9, 8, 7 });
            w.Write("attributes");
            w.WriteMapHeader(1);
            w.Write("k");
            w.Write("v");
            w.Write("ttlSeconds");
            w.Write(30);
        });

        var message = MessagePackSerializer.Deserialize<PublishMessage>(packed, Options)!;

        Assert.Equal(("m", Convert.ToBase64String([9, 8, 7]), "v", 30.0), (message.Id, message.DataBase64, message.Attributes!["k"], message.TtlSeconds));
        Assert.Null(message.Data);
    }

    [Fact]
    public void WireType_WithAFieldOfTheWrongType_IsASerializationErrorNamingIt()
    {
        var packed = Write((ref w) =>
        {
            w.WriteMapHeader(1);
            w.Write("ttlSeconds");
            w.Write("soon");
        });

        var error = Assert.Throws<MessagePackSerializationException>(() => MessagePackSerializer.Deserialize<PublishMessage>(packed, Options));

        var detail = Assert.IsType<MessagePackSerializationException>(error.InnerException);
        Assert.StartsWith("Invalid PublishMessage: ", detail.Message, StringComparison.Ordinal);
        Assert.Contains("ttlSeconds", detail.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CollectionExpression_PassedAsAnInterface_IsWrittenAsAnArray()
    {
        // SignalR serializes arguments by runtime type: this one is the compiler's <>z__ReadOnlyList<string>.
        IReadOnlyList<string> ackIds = ["a-1", "a-2"];

        var packed = MessagePackSerializer.Serialize(ackIds.GetType(), ackIds, Options);

        Assert.Equal(["a-1", "a-2"], MessagePackSerializer.Deserialize<string[]>(packed, Options));
    }

    [Fact]
    public void ReceivedMessage_RoundTrips_WithEveryField()
    {
        var message = new ReceivedMessage
        {
            AckId = "ack-1",
            Sequence = 5_000_000_000,
            Id = "id-1",
            PublishedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567),
            DeliveryAttempt = 3,
            Data = Parse("""{"n":1,"s":"ünï","a":[true,null,2.5]}"""),
            ContentType = "application/json",
            Attributes = new Dictionary<string, string> { ["k"] = "v", ["ключ"] = "" },
            OrderingKey = "o",
            DeliverAt = new DateTimeOffset(2026, 1, 2, 3, 4, 6, TimeSpan.Zero),
            ExpiresAt = new DateTimeOffset(2026, 1, 3, 3, 4, 5, TimeSpan.Zero),
            Topic = "t",
            Subscription = "s",
        };

        var back = MessagePackSerializer.Deserialize<ReceivedMessage>(MessagePackSerializer.Serialize(message, Options), Options)!;

        Assert.True(JsonElement.DeepEquals(message.Data.Value, back.Data!.Value));
        Assert.Equal(message.Attributes, back.Attributes);
        Assert.Equal(message with { Data = null, Attributes = null }, back with { Data = null, Attributes = null });
        Assert.Equal(message.PublishedAt.UtcTicks, back.PublishedAt.UtcTicks);
    }

    [Fact]
    public void ReceivedMessages_SplitAcrossManySmallSegments_ReadTheSame()
    {
        // A pipe hands a large Deliver over in segments: keys and strings then straddle segment ends.
        var messages = Enumerable.Range(1, 3).Select(i => new ReceivedMessage
        {
            AckId = $"live-{i}", Sequence = i, PublishedAt = DateTimeOffset.UnixEpoch.AddSeconds(i), DeliveryAttempt = 1,
            DataBytes = new byte[] { (byte)i, 2, 3 }, ContentType = "application/octet-stream", Topic = "orders.eu", Subscription = "live-7",
        }).ToArray();
        var packed = MessagePackSerializer.Serialize(messages, Options);

        var back = MessagePackSerializer.Deserialize<ReceivedMessage[]>(Segmented(packed, 3), Options)!;

        Assert.Equal(messages.Select(m => m with { DataBytes = null }), back.Select(m => m with { DataBytes = null }));
        Assert.Equal(messages.Select(m => m.DataBytes!.Value.ToArray()), back.Select(m => m.DataBytes!.Value.ToArray()));
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int size)
    {
        var first = new Segment(bytes.AsMemory(0, Math.Min(size, bytes.Length)), 0);
        var last = first;
        for (var offset = size; offset < bytes.Length; offset += size)
        {
            last = last.Append(bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset)));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    [Fact]
    public void ReceivedMessage_WithBinaryPayload_LeavesOutAbsentFields_AndReadsBackAsBytes()
    {
        var message = new ReceivedMessage { AckId = "a", Sequence = 1, PublishedAt = DateTimeOffset.UnixEpoch, DeliveryAttempt = 1, DataBase64 = Convert.ToBase64String([0, 255]) };

        var packed = MessagePackSerializer.Serialize(message, Options);
        var back = MessagePackSerializer.Deserialize<ReceivedMessage>(packed, Options)!;

        var reader = new MessagePackReader(packed);
        Assert.Equal(ReceivedMessageFormatter.FieldCount(message), reader.ReadMapHeader());
        Assert.Equal(5, ReceivedMessageFormatter.FieldCount(message));
        Assert.Equal([0, 255], back.DataBytes!.Value.ToArray());
        Assert.Null(back.DataBase64);
        Assert.Null(back.Data);
        Assert.Equal(message with { DataBase64 = null, DataBytes = back.DataBytes }, back);
        Assert.Equal(DateTimeOffset.UnixEpoch, back.PublishedAt);
    }

    [Fact]
    public void ReceivedMessage_FromBytes_WritesBinary_AndSkipsFieldsItDoesNotKnow()
    {
        var message = new ReceivedMessage { AckId = "a", Sequence = 1, PublishedAt = DateTimeOffset.UnixEpoch, DeliveryAttempt = 1, DataBytes = new byte[] { 1, 2 } };
        var packed = Write((ref w) =>
        {
            w.WriteMapHeader(ReceivedMessageFormatter.FieldCount(message) + 1);
            w.Write("future");
            w.WriteMapHeader(1);
            w.Write("x");
            w.WriteArrayHeader(0);
            ReceivedMessageFormatter.WriteFields(ref w, message);
        });

        var back = MessagePackSerializer.Deserialize<List<ReceivedMessage>>(MessagePackSerializer.Serialize(new[] { message }, Options), Options).Single();
        var withUnknown = MessagePackSerializer.Deserialize<ReceivedMessage>(packed, Options)!;

        Assert.Equal([1, 2], back.DataBytes!.Value.ToArray());
        Assert.Equal([1, 2], withUnknown.DataBytes!.Value.ToArray());
        Assert.Equal(("a", 1L), (withUnknown.AckId, withUnknown.Sequence));
    }

    private static JsonElement Parse(string json) => JsonSerializer.Deserialize<JsonElement>(json);

    private static ReadOnlyMemory<byte> ToMessagePack(JsonElement value) => Write((ref w) => JsonMessagePack.Write(ref w, value));

    private static JsonElement ToJson(ReadOnlyMemory<byte> packed)
    {
        var reader = new MessagePackReader(packed);
        var value = JsonMessagePack.ReadElement(ref reader);
        Assert.True(reader.End, "The whole value was read.");
        return value;
    }

    private delegate void WriteAction(ref MessagePackWriter writer);

    private static ReadOnlyMemory<byte> Write(WriteAction write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenMemory;
    }

    /// <summary>What <c>JsonMessagePack.Read</c> makes of a MessagePack value, as compact JSON text.</summary>
    private static string Read(WriteAction write)
    {
        var reader = new MessagePackReader(Write(write));
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            JsonMessagePack.Read(ref reader, json);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
