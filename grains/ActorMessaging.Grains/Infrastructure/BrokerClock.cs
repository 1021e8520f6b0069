namespace ActorMessaging.Grains;

/// <summary>
/// The time source for leases, backoff, retention and publish times. Tests swap in a fake; Orleans' own
/// timers keep the system clock, so faking broker time never stalls the runtime.
/// </summary>
public sealed class BrokerClock(TimeProvider time)
{
    public static BrokerClock System { get; } = new(TimeProvider.System);

    public TimeProvider Time { get; } = time;

    public DateTimeOffset UtcNow => Time.GetUtcNow();
}
