using System.Buffers.Binary;
using System.Diagnostics;

namespace ActorMessaging.Bench;

/// <summary>
/// One subscriber's tally: every delivery counts; a delivery whose send stamp falls in the <see cref="FanoutWindow"/>
/// also records its publish-to-receive latency (same process, same Stopwatch clock).
/// </summary>
internal sealed class FanoutReceiver(FanoutWindow window)
{
    private readonly LatencyRecorder _latencies = new();
    private long _count;

    public long Count => Volatile.Read(ref _count);

    public LatencyRecorder Latencies => _latencies;

    /// <summary>The first 8 bytes of every payload are the Stopwatch timestamp taken when it was published.</summary>
    public void OnPayload(ReadOnlySpan<byte> payload) => OnStamp(BinaryPrimitives.ReadInt64LittleEndian(payload));

    public void OnStamp(long sentTicks)
    {
        var now = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _count);
        if (window.Contains(sentTicks))
        {
            lock (_latencies)
            {
                _latencies.Record(now - sentTicks);
            }
        }
    }

    public void ClearLatencies()
    {
        lock (_latencies)
        {
            _latencies.Clear();
        }
    }

    public static long Total(IReadOnlyList<FanoutReceiver> receivers)
    {
        long total = 0;
        foreach (var receiver in receivers)
        {
            total += receiver.Count;
        }

        return total;
    }
}

/// <summary>The send-stamp range whose deliveries record latency; empty until a latency window opens.</summary>
internal sealed class FanoutWindow
{
    private long _from = long.MaxValue;
    private long _to = long.MinValue;

    public bool Contains(long stamp) => stamp >= Volatile.Read(ref _from) && stamp < Volatile.Read(ref _to);

    public void Open(long from)
    {
        Volatile.Write(ref _to, long.MaxValue);
        Volatile.Write(ref _from, from);
    }

    public void Close(long to) => Volatile.Write(ref _to, to);

    public void Reset()
    {
        Volatile.Write(ref _from, long.MaxValue);
        Volatile.Write(ref _to, long.MinValue);
    }
}
