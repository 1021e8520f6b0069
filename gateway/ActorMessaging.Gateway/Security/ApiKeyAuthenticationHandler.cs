using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ActorMessaging.Gateway.Security;

/// <summary>Authenticates the <c>X-Api-Key</c> header (or <c>?api_key=</c> on hub requests) against <see cref="ApiKeyStore"/>.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys, IOptions<GatewayAuthOptions> auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string UnknownKey = "The API key is not valid.";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!auth.Value.AcceptsKeys || GatewayAuthSchemes.PresentedApiKey(Request) is not { } presented)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (keys.Find(presented) is not { } key)
        {
            return Task.FromResult(AuthenticateResult.Fail(UnknownKey));
        }

        var identity = new ClaimsIdentity(Scheme.Name, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, key.Name));
        identity.AddClaim(new Claim(GatewayClaims.KeyName, key.Name));
        identity.AddClaims(key.Permissions);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 401;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, $"{GatewayAuthSchemes.ApiKey} header=\"{GatewayAuthSchemes.ApiKeyHeader}\"");
        return Task.CompletedTask;
    }
}
