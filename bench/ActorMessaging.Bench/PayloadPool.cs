using System.Security.Cryptography;

namespace ActorMessaging.Bench;

/// <summary>
/// Distinct random payloads, shared by the publishers and the raw baselines. Random so that compression
/// (PostgreSQL TOASTs chunks with lz4 or pglz) cannot shrink what is written; distinct so a group-committed
/// chunk is not a run of identical messages.
/// </summary>
internal sealed class PayloadPool
{
    private const int Count = 65_536;
    private readonly byte[] _bytes;

    public PayloadPool(int payloadBytes)
    {
        PayloadBytes = payloadBytes;
        _bytes = new byte[(long)payloadBytes * Count > Array.MaxLength ? Array.MaxLength : payloadBytes * Count];
        RandomNumberGenerator.Fill(_bytes);
    }

    public int PayloadBytes { get; }

    private int Slots => _bytes.Length / PayloadBytes;

    public ReadOnlyMemory<byte> Get(long index) => _bytes.AsMemory((int)(index % Slots) * PayloadBytes, PayloadBytes);

    /// <summary>The payload as its own array (for ADO.NET parameters).</summary>
    public byte[] GetArray(long index) => Get(index).ToArray();
}
