namespace ActorMessaging.Bench;

/// <summary>One <c>scale</c> caller's latencies in a block: whole creates, and each of their two calls.</summary>
internal sealed class ScaleRecorders
{
    public LatencyRecorder Create { get; } = new();

    public LatencyRecorder Topic { get; } = new();

    public LatencyRecorder Message { get; } = new();

    public int Errors { get; set; }
}
