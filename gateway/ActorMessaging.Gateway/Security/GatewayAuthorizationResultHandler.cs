using ActorMessaging.Gateway.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ActorMessaging.Gateway.Security;

/// <summary>
/// Answers a refused request as the rest of the API does: 401 problem with <see cref="ErrorCode.Unauthenticated"/> and a
/// <c>WWW-Authenticate</c> header per accepted scheme, or 403 with <see cref="ErrorCode.Forbidden"/> naming the
/// permission and the topic.
/// </summary>
internal sealed partial class GatewayAuthorizationResultHandler(IOptions<GatewayAuthOptions> auth, ILogger<GatewayAuthorizationResultHandler> logger)
    : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            var detail = await DescribeMissingCredentialsAsync(context);
            if (auth.Value.AcceptsJwt)
            {
                await context.ChallengeAsync(GatewayAuthSchemes.Bearer);
            }

            if (auth.Value.AcceptsKeys)
            {
                await context.ChallengeAsync(GatewayAuthSchemes.ApiKey);
            }

            LogUnauthenticated(context, detail);
            await Problem(context, ErrorCode.Unauthenticated, detail);
            return;
        }

        if (authorizeResult.Forbidden)
        {
            var detail = authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault()?.Message ?? "The caller lacks the permission for this request.";
            LogForbidden(context, detail);
            await Problem(context, ErrorCode.Forbidden, detail);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }

    private static Task Problem(HttpContext context, ErrorCode code, string detail) =>
        TypedResults.Problem(ApiProblems.Create(code, detail, context.Request.Path)).ExecuteAsync(context);

    /// <summary>Why the request has no identity: nothing presented, or what was wrong with what was (never the credential itself).</summary>
    private async Task<string> DescribeMissingCredentialsAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(GatewayAuthSchemes.Gateway);
        return result.Failure switch
        {
            null => auth.Value.Mode switch
            {
                GatewayAuthMode.Keys => $"No credentials: send an API key in the {GatewayAuthSchemes.ApiKeyHeader} header.",
                GatewayAuthMode.Jwt => "No credentials: send a bearer token in the Authorization header.",
                _ => $"No credentials: send an API key in the {GatewayAuthSchemes.ApiKeyHeader} header or a bearer token in the Authorization header.",
            },
            { Message: ApiKeyAuthenticationHandler.UnknownKey } => ApiKeyAuthenticationHandler.UnknownKey,
            SecurityTokenExpiredException => "The bearer token has expired.",
            SecurityTokenNotYetValidException => "The bearer token is not valid yet.",
            SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The bearer token's signature is not valid.",
            SecurityTokenInvalidAudienceException => "The bearer token is for another audience.",
            SecurityTokenInvalidIssuerException => "The bearer token is from another issuer.",
            _ => "The bearer token is not valid.",
        };
    }

    // Refusals are rare; the caller and path are worked out only when logged.
    private void LogUnauthenticated(HttpContext context, string reason)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            var (path, caller) = (context.Request.Path.ToString(), CallerIdentity.Of(context));
            LogUnauthenticated(context.Request.Method, path, caller, reason);
        }
    }

    private void LogForbidden(HttpContext context, string reason)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            var (path, caller) = (context.Request.Path.ToString(), CallerIdentity.Of(context));
            LogForbidden(context.Request.Method, path, caller, reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Method} {Path} from {Caller}: 401 {Reason}")]
    private partial void LogUnauthenticated(string method, string path, string caller, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Method} {Path} from {Caller}: 403 {Reason}")]
    private partial void LogForbidden(string method, string path, string caller, string reason);
}
