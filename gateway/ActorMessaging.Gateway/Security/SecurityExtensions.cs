using System.Globalization;
using System.Threading.RateLimiting;
using ActorMessaging.Gateway.Errors;
using ActorMessaging.Gateway.Hubs;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ActorMessaging.Gateway.Security;

/// <summary>
/// Authentication (API keys, JWT bearer), per-topic permissions, CORS, per-caller rate limits and hub connection limits
/// for the gateway. See docs/security.md for the configuration and the permission of every endpoint and hub method.
/// </summary>
internal static class SecurityExtensions
{
    /// <summary>The OpenAPI document of the HTTP API, which declares the credentials.</summary>
    private const string HttpApiOpenApiDocument = "v1";

    private const string JwtBearerHandlerLogCategory = "Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerHandler";

    public static IHostApplicationBuilder AddGatewaySecurity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GatewayAuthOptions>()
            .BindConfiguration(GatewayAuthOptions.SectionName)
            .PostConfigure<IHostEnvironment>((options, environment) =>
            {
                if (options.Mode is null && environment.IsDevelopment())
                {
                    options.Mode = GatewayAuthMode.None;
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayAuthOptions>, GatewayAuthOptionsValidator>();
        services.AddOptions<GatewayLimitsOptions>().BindConfiguration(GatewayLimitsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayLimitsOptions>, GatewayLimitsOptionsValidator>();
        services.AddHostedService<SecurityStartupReport>();

        // The authentication handlers log every failed credential (JWT with its exception) at Information: a flood of
        // bad credentials would become a flood of lines. RefusalLog logs refusals instead, once per caller per minute.
        builder.Logging.AddFilter(typeof(ApiKeyAuthenticationHandler).FullName, LogLevel.Warning);
        builder.Logging.AddFilter(JwtBearerHandlerLogCategory, LogLevel.Warning);
        services.AddSingleton<LoopbackOnlyGuard>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RefusalLog>();
        services.AddHostedService(sp => sp.GetRequiredService<LoopbackOnlyGuard>());

        // Who: one default scheme that forwards to the API key or the bearer handler by what the request carries.
        services.AddSingleton<ApiKeyStore>();
        services.AddAuthentication(GatewayAuthSchemes.Gateway)
            .AddPolicyScheme(GatewayAuthSchemes.Gateway, "API key or bearer token", options => options.ForwardDefaultSelector = SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(GatewayAuthSchemes.ApiKey, configureOptions: null)
            .AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(GatewayAuthSchemes.Bearer).Configure<IOptions<GatewayAuthOptions>>(ConfigureJwt);

        // What: one policy, on the /v1 group and as the fallback for every other endpoint (hub, dashboard; the rest is open).
        services.AddAuthorizationBuilder()
            .AddPolicy(GatewayAccessRequirement.PolicyName, GatewayAccessRequirement.Policy)
            .SetFallbackPolicy(GatewayAccessRequirement.Policy);
        services.AddSingleton<IAuthorizationHandler, GatewayAccessHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, GatewayAuthorizationResultHandler>();

        services.Configure<OpenApiOptions>(HttpApiOpenApiDocument, options => options.AddDocumentTransformer(OpenApiSecurityTransformer.TransformAsync));

        services.AddCors();
        services.AddSingleton<ICorsPolicyProvider, GatewayCorsPolicyProvider>();

        services.AddSingleton<CallerRateLimiter>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<CallerRateLimiter>((options, limiter) =>
        {
            options.GlobalLimiter = limiter.ForHttp();
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = OnRateLimitedAsync;
        });

        // The hub: AddHubOptions makes SignalR use per-hub options, which start as a copy of the global ones (with their
        // filters); PostConfigure runs after that copy, so the filter joins the global ones instead of being replaced.
        services.AddSingleton<ClientConnectionCounter>();
        services.AddSingleton<HubAccessFilter>();
        services.AddSignalR().AddHubOptions<MessagingHub>(_ => { });
        services.AddOptions<HubOptions<MessagingHub>>().PostConfigure<IOptions<GatewayLimitsOptions>>((options, limits) =>
        {
            options.MaximumReceiveMessageSize = limits.Value.MaxHubMessageSize;
            options.AddFilter<HubAccessFilter>();
        });
        return builder;
    }

    /// <summary>The middleware, before any gateway endpoint: loopback only when open, CORS, who the caller is, its rate limit, what it may do, its hub connection count.</summary>
    public static WebApplication UseGatewaySecurity(this WebApplication app)
    {
        LoopbackOnlyGuard.UseLoopbackOnlyGuard(app);
        app.UseCors();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.Use(RefuseExtraHubConnectionAsync);
        return app;
    }

    /// <summary>Requires <see cref="GatewayAccessRequirement"/> on the HTTP API and documents the refusals.</summary>
    public static RouteGroupBuilder RequireGatewayAccess(this RouteGroupBuilder v1)
    {
        v1.RequireAuthorization(GatewayAccessRequirement.PolicyName)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return v1;
    }

    private static string SelectScheme(HttpContext context)
    {
        var auth = context.RequestServices.GetRequiredService<IOptions<GatewayAuthOptions>>().Value;
        var hasKey = auth.AcceptsKeys && GatewayAuthSchemes.PresentedApiKey(context.Request) is not null;
        return auth.AcceptsJwt && !hasKey ? GatewayAuthSchemes.Bearer : GatewayAuthSchemes.ApiKey;
    }

    private static void ConfigureJwt(JwtBearerOptions jwt, IOptions<GatewayAuthOptions> options)
    {
        var settings = options.Value.Jwt;
        var authority = string.IsNullOrWhiteSpace(settings.Authority) ? null : settings.Authority;
        jwt.MapInboundClaims = false;
        jwt.Authority = authority;
        jwt.Audience = settings.Audience;
        jwt.RequireHttpsMetadata = settings.RequireHttpsMetadata;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = !string.IsNullOrEmpty(settings.Issuer) || authority is not null,
            ValidIssuer = string.IsNullOrEmpty(settings.Issuer) ? null : settings.Issuer,
            ValidateAudience = !string.IsNullOrEmpty(settings.Audience),
            ValidAudience = string.IsNullOrEmpty(settings.Audience) ? null : settings.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ValidateIssuerSigningKey = true,
            IssuerSigningKey = settings.SigningKeyBytes() is { } key ? new SymmetricSecurityKey(key) : null,
            NameClaimType = GatewayClaims.Subject,
        };
        jwt.Events = new JwtBearerEvents { OnMessageReceived = ReadHubAccessToken };
    }

    /// <summary>Browsers cannot set headers on WebSockets: the SignalR JavaScript client sends the token as <c>?access_token=</c>.</summary>
    private static Task ReadHubAccessToken(MessageReceivedContext context)
    {
        var request = context.Request;
        if (GatewayAuthSchemes.IsHubRequest(request) && string.IsNullOrEmpty(request.Headers.Authorization)
            && request.Query[GatewayAuthSchemes.AccessTokenQuery].ToString() is { Length: > 0 } token)
        {
            context.Token = token;
        }

        return Task.CompletedTask;
    }

    private static async ValueTask OnRateLimitedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var limiter = context.RequestServices.GetRequiredService<CallerRateLimiter>();
        var seconds = CallerRateLimiter.RetryAfterSeconds(rejected.Lease);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var caller = CallerIdentity.Of(context);
        var detail = limiter.Describe(caller, seconds);
        context.RequestServices.GetRequiredService<RefusalLog>().Refused(RefusalReason.RateLimited, caller, $"{context.Request.Method} {context.Request.Path}", detail);
        var problem = ApiProblems.Create(ErrorCode.RateLimited, detail, context.Request.Path);
        await TypedResults.Problem(problem).ExecuteAsync(context);
    }

    /// <summary>Refuses a hub negotiate at the connection limit with a 429 problem, before a connection is made (the hub filter enforces it for clients that skip negotiation).</summary>
    private static async Task RefuseExtraHubConnectionAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (HttpMethods.IsPost(request.Method) && GatewayAuthSchemes.IsHubRequest(request)
            && request.Path.Value?.EndsWith("/negotiate", StringComparison.OrdinalIgnoreCase) == true)
        {
            var connections = context.RequestServices.GetRequiredService<ClientConnectionCounter>();
            var caller = CallerIdentity.Of(context);
            if (!connections.HasRoom(caller))
            {
                var detail = connections.Describe(caller);
                context.RequestServices.GetRequiredService<RefusalLog>().Refused(RefusalReason.ConnectionLimit, caller, "hub negotiate", detail);
                await ApiProblems.Result(context, new BrokerException(ErrorCode.RateLimited, detail)).ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    }
}
