using ActorMessaging.Gateway.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ActorMessaging.Gateway.Security;

/// <summary>
/// Answers a refused request as the rest of the API does: 401 problem with <see cref="ErrorCode.Unauthenticated"/> and a
/// <c>WWW-Authenticate</c> header per accepted scheme, or 403 with <see cref="ErrorCode.Forbidden"/> naming the
/// permission and the topic.
/// </summary>
internal sealed class GatewayAuthorizationResultHandler(IOptions<GatewayAuthOptions> auth, RefusalLog refusals)
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

            Refused(context, RefusalReason.Unauthenticated, detail);
            await Problem(context, ErrorCode.Unauthenticated, detail);
            return;
        }

        if (authorizeResult.Forbidden)
        {
            var reason = authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault();
            var detail = reason?.Message ?? "The caller lacks the permission for this request.";
            Refused(context, RefusalReason.Forbidden, detail);
            await Problem(context, reason is TopicHiddenReason ? ErrorCode.TopicNotFound : ErrorCode.Forbidden, detail);
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

    private void Refused(HttpContext context, RefusalReason reason, string detail) =>
        refusals.Refused(reason, CallerIdentity.Of(context), $"{context.Request.Method} {context.Request.Path}", detail);
}
