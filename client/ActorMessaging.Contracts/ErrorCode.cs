namespace ActorMessaging;

/// <summary>
/// The one catalog of ActorMessaging errors, shared by the grains, the gateway and the SDK.
/// Values are stable and never reused: clients switch on them.
/// </summary>
/// <remarks>
/// 1xxx: the request is invalid (fix the request). 2xxx: an entity is missing or in a conflicting state.
/// 3xxx: a lease or ack id is no longer valid. 4xxx: caller identity and limits. 5xxx: the service
/// could not do it now (transient, safe to retry).
/// </remarks>
public enum ErrorCode
{
    /// <summary>A topic or subscription name does not match <c>^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$</c>.</summary>
    InvalidName = 1001,

    /// <summary>A setting is out of its allowed range or malformed.</summary>
    InvalidSetting = 1002,

    /// <summary>A message is malformed (for example an empty message id or an invalid attribute).</summary>
    InvalidMessage = 1003,

    /// <summary>A message is larger than the topic's maximum message size.</summary>
    MessageTooLarge = 1004,

    /// <summary>A batch has too many messages or too many bytes.</summary>
    BatchTooLarge = 1005,

    /// <summary>A message has too many attributes, or an attribute key or value is too long.</summary>
    AttributesTooLarge = 1006,

    /// <summary>An argument of a call is out of range (for example a negative wait or an empty ack id list).</summary>
    InvalidArgument = 1007,

    /// <summary>A subscription filter does not parse; the message says at which position and what was expected there.</summary>
    InvalidFilter = 1008,

    /// <summary>The topic does not exist.</summary>
    TopicNotFound = 2001,

    /// <summary>The subscription does not exist.</summary>
    SubscriptionNotFound = 2002,

    /// <summary>The entity exists with other settings than the ones given to create it.</summary>
    ConflictingSettings = 2003,

    /// <summary>The entity already exists (raised where creation is not idempotent).</summary>
    AlreadyExists = 2004,

    /// <summary>A limit on the number of entities was reached (for example subscriptions per topic).</summary>
    EntityLimitReached = 2005,

    /// <summary>The ack id was never issued by this subscription or is malformed.</summary>
    AckIdUnknown = 3001,

    /// <summary>The lease behind the ack id has ended: it expired, was settled, or the message was redelivered.</summary>
    AckIdExpired = 3002,

    /// <summary>The push consumer is not attached to the subscription.</summary>
    ConsumerNotAttached = 3003,

    /// <summary>
    /// An ack on an exactly-once subscription could not be made durable: it did not count, the lease ended, and the
    /// message will be delivered again. Retrying the ack cannot help; handle the redelivery.
    /// </summary>
    AckNotDurable = 3004,

    /// <summary>The caller is not authenticated.</summary>
    Unauthenticated = 4001,

    /// <summary>The caller lacks the permission for this topic.</summary>
    Forbidden = 4002,

    /// <summary>The caller sent too many requests; retry after the indicated delay.</summary>
    RateLimited = 4003,

    /// <summary>The durable store could not complete the write; nothing was acknowledged. Retry.</summary>
    StorageUnavailable = 5001,

    /// <summary>The service is overloaded or the entity is being moved. Retry.</summary>
    Unavailable = 5002,

    /// <summary>The operation did not complete in time. Retry.</summary>
    Timeout = 5003,

    /// <summary>An unexpected internal error.</summary>
    Internal = 5999,
}
