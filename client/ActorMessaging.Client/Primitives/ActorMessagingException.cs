namespace ActorMessaging.Client;

/// <summary>
/// A failure reported by ActorMessaging, with the stable <see cref="Code"/> of the server's error catalog
/// (<see cref="ErrorCode"/>). Switch on <see cref="Code"/>; the message names the entity
/// (for example <c>Topic 'orders' not found.</c>).
/// </summary>
/// <remarks>
/// Transient failures (<see cref="IsTransient"/>: the 5xxx codes and <see cref="ErrorCode.RateLimited"/>, which
/// includes a gateway that cannot be reached) are retried by the client according to
/// <see cref="ActorMessagingClientOptions.Retry"/> before they surface; the others surface at once.
/// </remarks>
public sealed class ActorMessagingException : Exception
{
    /// <summary>Creates an exception with <see cref="ErrorCode.Internal"/>.</summary>
    public ActorMessagingException()
        : this(ErrorCode.Internal, "An ActorMessaging operation failed.")
    {
    }

    /// <summary>Creates an exception with <see cref="ErrorCode.Internal"/> and <paramref name="message"/>.</summary>
    /// <param name="message">What went wrong.</param>
    public ActorMessagingException(string message)
        : this(ErrorCode.Internal, message)
    {
    }

    /// <summary>Creates an exception with <see cref="ErrorCode.Internal"/>, <paramref name="message"/> and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ActorMessagingException(string message, Exception? innerException)
        : this(ErrorCode.Internal, message, innerException)
    {
    }

    /// <summary>Creates an exception with a code of the catalog.</summary>
    /// <param name="code">The error code.</param>
    /// <param name="message">What went wrong, naming the entity.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ActorMessagingException(ErrorCode code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>The error code of the catalog shared with the server.</summary>
    public ErrorCode Code { get; }

    /// <summary>True when the same call may succeed if made again later (see <see cref="ErrorCodeExtensions.IsTransient"/>).</summary>
    public bool IsTransient => Code.IsTransient();

    /// <summary>How long the server asked to wait before retrying (HTTP <c>Retry-After</c>), when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
