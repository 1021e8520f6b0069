using System.Diagnostics;

namespace ActorMessaging.Bench;

/// <summary>Chunk writes seen by <see cref="ChunkWriteProbe"/> while recording is on.</summary>
internal sealed class ChunkWriteStats
{
    private readonly Lock _gate = new();
    private readonly LatencyRecorder _durations = new();
    private long _writes;
    private long _messages;
    private long _busyTicks;
    private bool _recording;

    public void Start()
    {
        lock (_gate)
        {
            (_writes, _messages, _busyTicks, _recording) = (0, 0, 0, true);
            _durations.Clear();
        }
    }

    public ChunkWriteSummary Stop(TimeSpan elapsed)
    {
        lock (_gate)
        {
            _recording = false;
            var (p50, _) = LatencyRecorder.Percentiles([_durations]);
            var seconds = elapsed.TotalSeconds;
            return new ChunkWriteSummary(
                WritesPerSecond: _writes / seconds,
                MessagesPerWrite: _writes > 0 ? (double)_messages / _writes : double.NaN,
                WriteP50Milliseconds: p50,
                // Chunk writes of one topic never overlap, so this is the share of the time the log was being written.
                BusyPercent: _busyTicks * 100.0 / Stopwatch.Frequency / seconds);
        }
    }

    public void Record(int messages, long elapsedTicks)
    {
        lock (_gate)
        {
            if (!_recording)
            {
                return;
            }

            _writes++;
            _messages += messages;
            _busyTicks += elapsedTicks;
            _durations.Record(elapsedTicks);
        }
    }
}
