namespace ActorMessaging.Grains.Subscriptions;

/// <summary>A push consumer and its flow-control window.</summary>
internal sealed class AttachedConsumer(ConsumerRegistration registration, DateTimeOffset expiresAt)
{
    public ConsumerRegistration Registration { get; set; } = registration;

    public string Id => Registration.ConsumerId;

    public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

    public int InFlight { get; set; }

    public int Credit => Registration.MaxInFlight - InFlight;

    public bool Sending { get; set; }

    public int ConsecutiveFailures { get; set; }
}
