namespace ActorMessaging.Bench;

/// <summary>What <see cref="MeasuredLoad"/> measured over one window.</summary>
internal sealed record LoadOutcome(
    double MessagesPerSecond,
    double P50Milliseconds,
    double P99Milliseconds,
    TimeSpan Elapsed,
    CpuUse Cpu,
    long Errors,
    Exception? FirstError);
