namespace ActorMessaging.Bench;

/// <summary>One chunk size of the <c>breakdown</c> command: median milliseconds of each step.</summary>
internal sealed record BreakdownRow(
    BenchStore Store,
    int Messages,
    int SerializedBytes,
    (double P50, int Count) Serialize,
    (double P50, int Count) StorageWrite,
    (double P50, int Count) RawInsert);
