using Microsoft.AspNetCore.Authorization;

namespace ActorMessaging.Gateway.Security;

/// <summary>
/// The caller may not see the topic at all (no permission matches its name): the refusal is answered as
/// <see cref="ErrorCode.TopicNotFound"/>, like a topic that does not exist, so refusals do not reveal which names exist.
/// </summary>
internal sealed class TopicHiddenReason(IAuthorizationHandler handler, string topic)
    : AuthorizationFailureReason(handler, BrokerException.TopicNotFound(topic).Message)
{
    /// <summary>True when <paramref name="access"/> to <paramref name="topic"/> is refused because the caller may not see it.</summary>
    public static bool Applies(CallerPermissions permissions, TopicAccess access, string? topic) =>
        topic is not null && access is TopicAccess.Any or TopicAccess.Publish or TopicAccess.Subscribe or TopicAccess.Admin && !permissions.MaySee(topic);
}
