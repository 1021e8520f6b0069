namespace ActorMessaging.Client;

/// <summary>
/// How the client retries transient failures (<see cref="ActorMessagingException.IsTransient"/>) and reconnects:
/// exponential backoff with jitter. Attempt <c>n</c> (1 for the first retry) waits
/// <c>min(<see cref="Delay"/> · 2^(n−1), <see cref="MaxDelay"/>)</c> multiplied by a random factor between
/// <c>1 − <see cref="Jitter"/></c> and <c>1 + <see cref="Jitter"/></c>, never more than <see cref="MaxDelay"/>.
/// Values are checked when set.
/// </summary>
public sealed class ActorMessagingRetryOptions
{
    private int _maxRetries = 3;
    private TimeSpan _delay = TimeSpan.FromMilliseconds(500);
    private TimeSpan _maxDelay = TimeSpan.FromSeconds(30);
    private double _jitter = 0.2;
    private TimeSpan _tryTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Retries of one call after its first try. Default 3; 0 to 100 (0: no retry).</summary>
    public int MaxRetries
    {
        get => _maxRetries;
        set => _maxRetries = InRange(value, 0, 100, nameof(MaxRetries));
    }

    /// <summary>The wait before the first retry; it doubles with each further retry. Default 500 ms; 0 to 5 minutes.</summary>
    public TimeSpan Delay
    {
        get => _delay;
        set => _delay = InRange(value, TimeSpan.Zero, TimeSpan.FromMinutes(5), nameof(Delay));
    }

    /// <summary>The longest wait between two tries, also between two reconnect attempts. Default 30 s; 0 to 10 minutes.</summary>
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

    /// <summary>How long one try of a call (an HTTP request, a hub invocation, a connection attempt) may take. Default 60 s; 1 s to 10 minutes.</summary>
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
