namespace ActorMessaging;

/// <summary>The reasons a message is dead-lettered, as they appear in <see cref="DeadLetter.Reason"/>.</summary>
public static class DeadLetterReasons
{
    public const string MaxDeliveryAttempts = "maxDeliveryAttempts";
    public const string Expired = "expired";
    public const string Rejected = "rejected";
}
