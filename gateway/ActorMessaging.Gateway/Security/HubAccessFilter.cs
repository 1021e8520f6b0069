using System.Collections.Concurrent;
using System.Reflection;
using ActorMessaging.Gateway.Hubs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace ActorMessaging.Gateway.Security;

/// <summary>
/// Security of <see cref="MessagingHub"/>, added as a hub filter: at most
/// <see cref="GatewayLimitsOptions.MaxConnectionsPerClient"/> connections per caller, and per method call the
/// caller's rate limit and its permission on the topic (the first argument, see <see cref="GatewayAccessRules.Hub"/>).
/// Refusals are typed hub errors: <c>"4002 Forbidden: …"</c>, <c>"4003 RateLimited: …"</c>. A connection keeps the
/// identity and permissions it had when it connected.
/// </summary>
internal sealed class HubAccessFilter(
    IOptions<GatewayAuthOptions> auth, CallerRateLimiter limiter, ClientConnectionCounter connections, RefusalLog refusals) : IHubFilter
{
    private const string CallerItem = "ActorMessaging.Caller";
    private const string PermissionsItem = "ActorMessaging.Permissions";

    private static readonly ConcurrentDictionary<MethodInfo, string> ClientNames = new();

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        var connection = context.Context;
        var caller = CallerIdentity.Of(connection.User, connection.GetHttpContext()?.Connection.RemoteIpAddress);
        if (!connections.TryOpen(caller))
        {
            var detail = connections.Describe(caller);
            refusals.Refused(RefusalReason.ConnectionLimit, caller, "hub connection", detail);
            throw HubErrors.Create(ErrorCode.RateLimited, detail);
        }

        connection.Items[CallerItem] = caller;
        connection.Items[PermissionsItem] = auth.Value.IsOpen ? CallerPermissions.Everything : CallerPermissions.Of(connection.User);
        try
        {
            await next(context);
        }
        catch
        {
            // The hub does not call OnDisconnectedAsync for a connection that failed to connect.
            connection.Items.Remove(CallerItem);
            connections.Close(caller);
            throw;
        }
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        try
        {
            await next(context, exception);
        }
        finally
        {
            if (context.Context.Items.TryGetValue(CallerItem, out var caller) && caller is string name)
            {
                context.Context.Items.Remove(CallerItem);
                connections.Close(name);
            }
        }
    }

    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var connection = invocationContext.Context;
        var method = ClientName(invocationContext);
        var caller = connection.Items.TryGetValue(CallerItem, out var item) && item is string known
            ? known
            : CallerIdentity.Of(connection.User, connection.GetHttpContext()?.Connection.RemoteIpAddress);
        using (var lease = limiter.Acquire(caller))
        {
            if (!lease.IsAcquired)
            {
                var seconds = CallerRateLimiter.RetryAfterSeconds(lease);
                var detail = limiter.Describe(caller, seconds);
                refusals.Refused(RefusalReason.RateLimited, caller, $"hub {method}", detail);
                throw HubErrors.Create(ErrorCode.RateLimited, detail);
            }
        }

        var permissions = connection.Items.TryGetValue(PermissionsItem, out var granted) && granted is CallerPermissions p
            ? p
            : auth.Value.IsOpen ? CallerPermissions.Everything : CallerPermissions.Of(connection.User);
        var access = GatewayAccessRules.Hub.GetValueOrDefault(method, TopicAccess.Admin);
        var topic = invocationContext.HubMethodArguments.Count > 0 ? invocationContext.HubMethodArguments[0] as string : null;
        if (!permissions.Allows(access, topic) && TopicHiddenReason.Applies(permissions, access, topic))
        {
            var hidden = BrokerException.TopicNotFound(topic!).Message;
            refusals.Refused(RefusalReason.Forbidden, caller, $"hub {method}", hidden);
            throw HubErrors.Create(ErrorCode.TopicNotFound, hidden);
        }

        if (!permissions.Allows(access, topic))
        {
            var reason = GatewayAccessRules.Denied(method, access, topic ?? string.Empty);
            refusals.Refused(RefusalReason.Forbidden, caller, $"hub {method}", reason);
            throw HubErrors.Create(ErrorCode.Forbidden, reason);
        }

        return next(invocationContext);
    }

    /// <summary>The name clients call the method by (its <see cref="HubMethodNameAttribute"/>), not the C# name SignalR reports.</summary>
    private static string ClientName(HubInvocationContext invocation) =>
        ClientNames.GetOrAdd(invocation.HubMethod, method => method.GetCustomAttribute<HubMethodNameAttribute>()?.Name ?? method.Name);
}
