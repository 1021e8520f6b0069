using ActorMessaging.Gateway.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorMessaging.Gateway.Health;

/// <summary>
/// Once the host is stopping, every new request is refused with 503 <see cref="ErrorCode.Unavailable"/>
/// (<c>Retry-After</c>, <c>Connection: close</c>), <c>/health</c> included, so load balancers and SDK clients move to
/// another gateway. Without it, a client that reconnects at once after SignalR closed its hub connection (at
/// ApplicationStopping) could open a new WebSocket before Kestrel stops listening, and Kestrel would then wait on that
/// connection for the host's whole shutdown timeout.
/// </summary>
internal static class ShutdownRefusal
{
    public static IApplicationBuilder UseShutdownRefusal(this IApplicationBuilder app)
    {
        var stopping = app.ApplicationServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        return app.Use(async (context, next) =>
        {
            if (!stopping.IsCancellationRequested)
            {
                await next(context);
                return;
            }

            context.Response.Headers.Connection = "close";
            var refusal = new BrokerException(ErrorCode.Unavailable, "The gateway is shutting down; retry on another gateway.");
            await ApiProblems.Result(context, refusal).ExecuteAsync(context);
        });
    }
}
