namespace ActorMessaging.Contracts;

/// <summary>
/// Every error of the HTTP API: an RFC 9457 problem (<c>application/problem+json</c>) with the stable
/// <see cref="Code"/> and <see cref="Error"/> members. Switch on <see cref="Code"/>, show <see cref="Detail"/>.
/// </summary>
public sealed record ProblemResponse
{
    /// <summary>A URI reference that identifies the problem type.</summary>
    public string? Type { get; init; }

    /// <summary>A short summary of the HTTP status.</summary>
    public string? Title { get; init; }

    /// <summary>The HTTP status code.</summary>
    public int? Status { get; init; }

    /// <summary>What went wrong, naming the entity (for example <c>Topic 'orders' not found.</c>).</summary>
    public string? Detail { get; init; }

    /// <summary>The request path that failed.</summary>
    public string? Instance { get; init; }

    /// <summary>The numeric <see cref="ActorMessaging.ErrorCode"/>.</summary>
    public int Code { get; init; }

    /// <summary>The name of the <see cref="ActorMessaging.ErrorCode"/>, for example <c>TopicNotFound</c>.</summary>
    public string? Error { get; init; }
}
