using System.Net;
using ActorMessaging.Gateway.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ActorMessaging.Gateway.Security;

/// <summary>
/// Without authentication (<c>ActorMessaging:Auth:Mode=None</c>) the gateway serves loopback only, whatever the
/// environment, unless <c>AllowAnonymous=true</c> says the operator means it: once the server listens, an address
/// beyond loopback stops the host, naming the key; and a request from beyond loopback is refused, which also covers
/// the moment between binding and that check. A request that came through a reverse proxy (it carries
/// <c>Forwarded</c> or <c>X-Forwarded-For</c>) is refused too: a proxy on the same machine makes every caller look local.
/// </summary>
internal sealed class LoopbackOnlyGuard(IOptions<GatewayAuthOptions> auth, IServiceProvider services) : IHostedLifecycleService
{
    private bool Applies => auth.Value.IsOpen && !auth.Value.AllowAnonymous;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (!Applies || services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>() is not { } bound)
        {
            return Task.CompletedTask;
        }

        var open = bound.Addresses.Where(a => !IsLoopback(a)).ToList();
        return open.Count == 0
            ? Task.CompletedTask
            : throw new OptionsValidationException(GatewayAuthOptions.SectionName, typeof(GatewayAuthOptions), [OpenBeyondLoopback(open)]);
    }

    /// <summary>The refusal of listening on <paramref name="open"/> without authentication, naming the keys that change it.</summary>
    internal static string OpenBeyondLoopback(IEnumerable<string> open) =>
        $"{GatewayAuthOptions.SectionName}:Mode is None and the gateway listens beyond loopback ({string.Join(", ", open)}): anyone who reaches it could publish, consume and delete every topic. "
        + $"Listen on 127.0.0.1 only, choose Keys, Jwt or KeysAndJwt, or set {GatewayAuthOptions.SectionName}:AllowAnonymous=true to run so anyway.";

    /// <summary>Refuses a request from beyond loopback with 403 while the gateway runs without authentication and without <c>AllowAnonymous</c>.</summary>
    public static IApplicationBuilder UseLoopbackOnlyGuard(IApplicationBuilder app)
    {
        var guard = app.ApplicationServices.GetRequiredService<LoopbackOnlyGuard>();
        return app.Use(async (context, next) =>
        {
            // No remote address: an in-process caller (a test server), which is as local as it gets.
            if (guard.Applies && (context.Connection.RemoteIpAddress is { } remote && !IPAddress.IsLoopback(remote) || IsForwarded(context.Request)))
            {
                var refusal = new BrokerException(ErrorCode.Forbidden, "The gateway runs without authentication and serves loopback callers only, not requests forwarded by a proxy.");
                await ApiProblems.Result(context, refusal).ExecuteAsync(context);
                return;
            }

            await next(context);
        });
    }

    private static bool IsForwarded(HttpRequest request) =>
        request.Headers.ContainsKey("Forwarded") || request.Headers.ContainsKey("X-Forwarded-For");

    /// <summary>An address Kestrel reports (<c>http://127.0.0.1:5080</c>, <c>http://[::]:80</c>, <c>http://localhost:5000</c>).</summary>
    internal static bool IsLoopback(string address)
    {
        // Wildcards ('*', '+') are not valid URI hosts; replace them so the address parses, then count them as open.
        var parsed = Uri.TryCreate(address.Replace("://*", "://wildcard", StringComparison.Ordinal).Replace("://+", "://wildcard", StringComparison.Ordinal), UriKind.Absolute, out var uri);
        if (!parsed || uri is null)
        {
            return false;
        }

        return uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
