namespace ActorMessaging.Gateway.Security;

/// <summary>
/// A token bucket per caller (<c>ActorMessaging:Gateway:RateLimit</c>) shared by the HTTP API and hub requests and
/// hub method calls. A caller is an API key name, a JWT subject, or the remote IP address when anonymous.
/// </summary>
public sealed class GatewayRateLimitOptions
{
    /// <summary>Sustained requests per second per caller; 0 turns rate limiting off. Default 1000.</summary>
    public double PermitsPerSecond { get; set; } = 1000;

    /// <summary>Requests a caller may make at once after being idle (the bucket size). Default: one second's worth of <see cref="PermitsPerSecond"/>.</summary>
    public int? Burst { get; set; }

    /// <summary>How often the bucket refills (at least 1 ms); it refills whole permits, so the period grows to one permit's time at low rates. Default 100 ms.</summary>
    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromMilliseconds(100);

    internal bool Enabled => PermitsPerSecond > 0;

    internal int EffectiveBurst => Burst ?? (int)Math.Max(1, Math.Ceiling(PermitsPerSecond));

    /// <summary>Whole permits added per period, and the period that keeps the rate exact.</summary>
    internal (int Tokens, TimeSpan Period) Refill()
    {
        var tokens = (int)Math.Max(1, Math.Round(PermitsPerSecond * ReplenishmentPeriod.TotalSeconds));
        return (tokens, TimeSpan.FromSeconds(tokens / PermitsPerSecond));
    }
}
