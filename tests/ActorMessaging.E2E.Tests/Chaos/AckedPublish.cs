namespace ActorMessaging.E2E.Tests.Chaos;

/// <summary>A publish the broker acknowledged: <paramref name="Id"/> is stored at <paramref name="Sequence"/>.</summary>
internal sealed record AckedPublish(string Topic, string Id, long Sequence, TimeSpan StartedAt, TimeSpan AckedAt)
{
    /// <summary>From the first try to the acknowledgement, retries and failovers included.</summary>
    public TimeSpan Took => AckedAt - StartedAt;
}
