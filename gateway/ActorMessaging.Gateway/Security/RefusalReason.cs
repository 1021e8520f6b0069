namespace ActorMessaging.Gateway.Security;

/// <summary>Why the gateway refused a request, a hub connection or a hub call; the <c>reason</c> tag of <c>actormessaging.gateway.refusals</c>.</summary>
internal enum RefusalReason
{
    /// <summary>No credential, or one that is unknown, expired or invalid (401).</summary>
    Unauthenticated,

    /// <summary>A known caller without the permission (403).</summary>
    Forbidden,

    /// <summary>Over the caller's rate limit (429).</summary>
    RateLimited,

    /// <summary>Over the caller's hub connection limit (429).</summary>
    ConnectionLimit,
}
