namespace ActorMessaging;

/// <summary>Facts derived from an <see cref="ErrorCode"/>, so every layer classifies errors the same way.</summary>
public static class ErrorCodeExtensions
{
    /// <summary>True when the same request may succeed if retried later (the 5xxx range and rate limiting).</summary>
    public static bool IsTransient(this ErrorCode code) =>
        code is ErrorCode.RateLimited || ((int)code >= 5000 && code != ErrorCode.Internal);
}
