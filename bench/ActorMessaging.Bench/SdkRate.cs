namespace ActorMessaging.Bench;

/// <summary>One measured run of an <c>sdk</c> workload: messages per second, and this process's CPU microseconds per message.</summary>
internal readonly record struct SdkRate(double PerSecond, double CpuMicroseconds);
