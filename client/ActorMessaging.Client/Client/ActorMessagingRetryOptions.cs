namespace ActorMessaging.Client;

/// <summary>
/// How the client retries transient failures (<see cref="ActorMessagingException.IsTransient"/>) and reconnects.
/// </summary>
/// <remarks>
/// <para>A call is retried while its retry budget lasts: until <see cref="MaxElapsed"/> has passed since its first try
/// began (default 60 s, longer than a silo failover), and, when <see cref="MaxRetries"/> is set, for at most that many
/// retries. The wait before the last retry is shortened so that the retry starts within the budget; a try that is running
/// when the budget runs out may still take up to <see cref="TryTimeout"/>, so a call ends within about
/// <see cref="MaxElapsed"/> + <see cref="TryTimeout"/>.</para>
/// <para>The waits are exponential backoff with jitter: retry <c>n</c> (1 for the first) waits
/// <c>min(<see cref="Delay"/> · 2^(n−1), <see cref="MaxDelay"/>)</c> multiplied by a random factor between
/// <c>1 − <see cref="Jitter"/></c> and <c>1 + <see cref="Jitter"/></c>, never more than <see cref="MaxDelay"/>; a longer
/// <c>Retry-After</c> from the gateway is honoured up to <see cref="MaxDelay"/>. With the defaults the retries come about
/// 0.5, 1.5, 3.5, 7.5, 12.5 s... after the first try, then every 5 s.</para>
/// <para>A processor's reconnect attempts use the same backoff but have no budget: a started processor keeps
/// reconnecting until it is stopped. Values are checked when set.</para>
/// </remarks>
public sealed class ActorMessagingRetryOptions
{
    private int? _maxRetries;
    private TimeSpan _maxElapsed = TimeSpan.FromSeconds(60);
    private TimeSpan _delay = TimeSpan.FromMilliseconds(500);
    private TimeSpan _maxDelay = TimeSpan.FromSeconds(5);
    private double _jitter = 0.2;
    private TimeSpan _tryTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The retry budget of one call: no retry starts later than this after the call's first try began. Default 60 s,
    /// longer than a silo failover (up to about 20 s); 0 to 1 day (0: no retry).
    /// </summary>
    public TimeSpan MaxElapsed
    {
        get => _maxElapsed;
        set => _maxElapsed = InRange(value, TimeSpan.Zero, TimeSpan.FromDays(1), nameof(MaxElapsed));
    }

    /// <summary>
    /// An optional cap on the retries of one call after its first try, on top of <see cref="MaxElapsed"/>. Default null
    /// (only the budget limits retries); 0 to 100 (0: no retry).
    /// </summary>
    public int? MaxRetries
    {
        get => _maxRetries;
        set => _maxRetries = value is { } count ? InRange(count, 0, 100, nameof(MaxRetries)) : null;
    }

    /// <summary>The wait before the first retry; it doubles with each further retry. Default 500 ms; 0 to 5 minutes.</summary>
    public TimeSpan Delay
    {
        get => _delay;
        set => _delay = InRange(value, TimeSpan.Zero, TimeSpan.FromMinutes(5), nameof(Delay));
    }

    /// <summary>The longest wait between two tries, also between two reconnect attempts. Default 5 s (so a call sees a gateway or silo come back within seconds); 0 to 10 minutes.</summary>
    public TimeSpan MaxDelay
    {
        get => _maxDelay;
        set => _maxDelay = InRange(value, TimeSpan.Zero, TimeSpan.FromMinutes(10), nameof(MaxDelay));
    }

    /// <summary>The random spread of each wait, as a fraction of it, so that many clients do not retry in step. Default 0.2; 0 to 1.</summary>
    public double Jitter
    {
        get => _jitter;
        set => _jitter = double.IsFinite(value) && value is >= 0 and <= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Jitter), value, "Jitter must be between 0 and 1.");
    }

    /// <summary>
    /// How long one try of a call (an HTTP request, a hub invocation, a connection attempt) may take; a pull that waits for
    /// messages gets its wait on top. Default 10 s (a publish takes milliseconds; a try that hangs on a frozen gateway or
    /// silo is abandoned and retried, on the next endpoint, with the same message ids); 1 s to 10 minutes.
    /// </summary>
    public TimeSpan TryTimeout
    {
        get => _tryTimeout;
        set => _tryTimeout = InRange(value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), nameof(TryTimeout));
    }

    internal ActorMessagingRetryOptions Clone() => (ActorMessagingRetryOptions)MemberwiseClone();

    internal static int InRange(int value, int min, int max, string name) =>
        value >= min && value <= max ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}.");

    internal static TimeSpan InRange(TimeSpan value, TimeSpan min, TimeSpan max, string name) =>
        value >= min && value <= max ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}.");
}
