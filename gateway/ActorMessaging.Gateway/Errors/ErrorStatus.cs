using Microsoft.AspNetCore.Http;

namespace ActorMessaging.Gateway.Errors;

/// <summary>The one mapping from <see cref="ErrorCode"/> to HTTP status, used by the HTTP API and the hub.</summary>
internal static class ErrorStatus
{
    /// <summary>Seconds a client should wait before retrying a transient error (the <c>Retry-After</c> header).</summary>
    public const int RetryAfterSeconds = 1;

    public static int Of(ErrorCode code) => code switch
    {
        ErrorCode.InvalidName or ErrorCode.InvalidSetting or ErrorCode.InvalidMessage or ErrorCode.AttributesTooLarge
            or ErrorCode.InvalidArgument or ErrorCode.AckIdUnknown => StatusCodes.Status400BadRequest,
        ErrorCode.MessageTooLarge or ErrorCode.BatchTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCode.TopicNotFound or ErrorCode.SubscriptionNotFound => StatusCodes.Status404NotFound,
        ErrorCode.ConflictingSettings or ErrorCode.AlreadyExists or ErrorCode.EntityLimitReached
            or ErrorCode.AckIdExpired or ErrorCode.ConsumerNotAttached or ErrorCode.AckNotDurable => StatusCodes.Status409Conflict,
        ErrorCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        ErrorCode.Forbidden => StatusCodes.Status403Forbidden,
        ErrorCode.RateLimited => StatusCodes.Status429TooManyRequests,
        ErrorCode.StorageUnavailable or ErrorCode.Unavailable or ErrorCode.Timeout => StatusCodes.Status503ServiceUnavailable,
        ErrorCode.Internal => StatusCodes.Status500InternalServerError,

        // A code added to the catalog later still gets its range's status.
        _ => (int)code switch
        {
            >= 1000 and < 2000 => StatusCodes.Status400BadRequest,
            >= 2000 and < 4000 => StatusCodes.Status409Conflict,
            >= 4000 and < 5000 => StatusCodes.Status400BadRequest,
            >= 5000 and < 5999 => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status500InternalServerError,
        },
    };

    /// <summary>The <c>Retry-After</c> value for <paramref name="code"/>, or null when retrying the same request cannot help.</summary>
    public static int? RetryAfter(ErrorCode code) => code.IsTransient() ? RetryAfterSeconds : null;
}
