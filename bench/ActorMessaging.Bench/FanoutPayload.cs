using System.Buffers.Binary;

namespace ActorMessaging.Bench;

internal static class FanoutPayload
{
    public const int Size = 256;

    /// <summary>A 256-byte payload: the send stamp (little-endian Stopwatch ticks), then filler.</summary>
    public static byte[] Create(long stamp)
    {
        var payload = new byte[Size];
        BinaryPrimitives.WriteInt64LittleEndian(payload, stamp);
        payload.AsSpan(8).Fill((byte)'x');
        return payload;
    }
}
