using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace ActorMessaging.Gateway.Security;

/// <summary>
/// Who a caller is for limits: <c>key:{name}</c> for an API key, <c>jwt:{sub}</c> (or the client id) for a token,
/// <c>ip:{address}</c> for anyone anonymous. Behind a proxy, anonymous callers share its address unless the host
/// applies forwarded headers.
/// </summary>
internal static class CallerIdentity
{
    public static string Of(HttpContext context) => Of(context.User, context.Connection.RemoteIpAddress);

    public static string Of(ClaimsPrincipal? user, IPAddress? remote)
    {
        if (user?.Identity?.IsAuthenticated == true)
        {
            if (user.FindFirst(GatewayClaims.KeyName) is { } key)
            {
                return "key:" + key.Value;
            }

            if ((user.FindFirst(GatewayClaims.Subject) ?? user.FindFirst(GatewayClaims.ClientId) ?? user.FindFirst(GatewayClaims.AuthorizedParty)) is { } subject)
            {
                return "jwt:" + subject.Value;
            }
        }

        return "ip:" + (remote?.ToString() ?? "unknown");
    }
}
