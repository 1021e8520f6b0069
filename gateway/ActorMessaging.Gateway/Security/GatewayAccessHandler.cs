using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ActorMessaging.Gateway.Security;

/// <summary>
/// Decides <see cref="GatewayAccessRequirement"/> for an HTTP request. A caller that is not authenticated fails (the
/// middleware then challenges: 401); an authenticated one without the permission fails with the reason (403), or as
/// not found (404) when it may not see the topic at all (<see cref="TopicHiddenReason"/>).
/// </summary>
internal sealed class GatewayAccessHandler(IOptions<GatewayAuthOptions> auth) : AuthorizationHandler<GatewayAccessRequirement, HttpContext>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, GatewayAccessRequirement requirement, HttpContext resource)
    {
        if (auth.Value.IsOpen || GatewayAccessRules.For(resource) is not { } needed)
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }

        if (context.User.Identity?.IsAuthenticated != true)
        {
            return Task.CompletedTask;
        }

        var topic = GatewayAccessRules.Topic(resource);
        var permissions = CallerPermissions.Of(context.User);
        if (permissions.Allows(needed.Access, topic))
        {
            context.Succeed(requirement);
        }
        else if (TopicHiddenReason.Applies(permissions, needed.Access, topic))
        {
            context.Fail(new TopicHiddenReason(this, topic!));
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, GatewayAccessRules.Denied(needed.Operation, needed.Access, topic)));
        }

        return Task.CompletedTask;
    }
}
