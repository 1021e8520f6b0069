using Microsoft.AspNetCore.Authorization;

namespace ActorMessaging.Gateway.Security;

/// <summary>The one authorization requirement of the gateway: the caller's permissions cover what the request needs (<see cref="GatewayAccessRules"/>).</summary>
internal sealed class GatewayAccessRequirement : IAuthorizationRequirement
{
    /// <summary>The policy holding only this requirement: on the <c>/v1</c> group, and the fallback for every other endpoint.</summary>
    public const string PolicyName = "ActorMessaging.Access";

    public static AuthorizationPolicy Policy { get; } = new AuthorizationPolicyBuilder().AddRequirements(new GatewayAccessRequirement()).Build();
}
