using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorMessaging.Gateway.Security;

/// <summary>Says at start-up how the gateway authenticates, and warns when it is open outside Development.</summary>
internal sealed partial class SecurityStartupReport(
    IOptions<GatewayAuthOptions> auth, IOptions<GatewayLimitsOptions> limits, IHostEnvironment environment, ILogger<SecurityStartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = auth.Value;
        if (options.IsOpen && !environment.IsDevelopment())
        {
            LogAnonymous(environment.EnvironmentName);
        }
        else
        {
            var rate = limits.Value.RateLimit;
            LogMode(options.Mode ?? GatewayAuthMode.None, options.AcceptsKeys ? options.ApiKeys.Count : 0, options.AcceptsJwt ? options.Jwt.Authority ?? "signing key" : "off",
                rate.Enabled ? rate.PermitsPerSecond : 0, limits.Value.AllowedOrigins.Count);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The gateway runs WITHOUT AUTHENTICATION in the '{Environment}' environment "
        + "(ActorMessaging:Auth:Mode=None, AllowAnonymous=true): anyone who reaches it may publish, consume and delete every topic")]
    private partial void LogAnonymous(string environment);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gateway auth mode {Mode}: {KeyCount} API keys, JWT {Jwt}; rate limit {PermitsPerSecond}/s per caller (0 = off); {OriginCount} CORS origins")]
    private partial void LogMode(GatewayAuthMode mode, int keyCount, string jwt, double permitsPerSecond, int originCount);
}
