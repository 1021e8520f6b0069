using ActorMessaging.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ActorMessaging.Gateway.Security;

/// <summary>
/// Trims <c>GET /v1/topics</c> to the topics the caller has some permission on (admins see all), so names of other
/// teams' topics do not leak. A page may then hold fewer names than <c>pageSize</c>; its <c>nextPageToken</c> is unchanged.
/// </summary>
internal sealed class TopicListFilter(IOptions<GatewayAuthOptions> auth) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        if (result is not Ok<TopicList> { Value: { } list } || auth.Value.IsOpen)
        {
            return result;
        }

        var permissions = CallerPermissions.Of(context.HttpContext.User);
        return permissions.IsAdmin ? result : TypedResults.Ok(list with { Topics = [.. list.Topics.Where(permissions.MaySee)] });
    }
}
