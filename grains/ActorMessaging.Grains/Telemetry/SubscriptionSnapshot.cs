namespace ActorMessaging.Grains.Telemetry;

/// <summary>The latest statistics an active subscription reported for the gauges, and when (a <see cref="Stopwatch"/> timestamp).</summary>
internal sealed record SubscriptionSnapshot(string Topic, string Subscription, SubscriptionStats Stats, long ReportedAt)
{
    /// <summary>
    /// The oldest unacked message's age at this moment: it has aged since the report. A subscription stops reporting
    /// while nothing about it changes, and its oldest message goes on waiting meanwhile.
    /// </summary>
    public TimeSpan OldestUnackedAgeNow => Stats.OldestUnackedAge is { } age ? age + Stopwatch.GetElapsedTime(ReportedAt) : TimeSpan.Zero;
}
