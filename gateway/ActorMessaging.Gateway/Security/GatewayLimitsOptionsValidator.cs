using Microsoft.Extensions.Options;

namespace ActorMessaging.Gateway.Security;

/// <summary>Stops the host at start-up on a bad <c>ActorMessaging:Gateway</c> limit or origin; every message names the key.</summary>
internal sealed class GatewayLimitsOptionsValidator : IValidateOptions<GatewayLimitsOptions>
{
    public const long MinHubMessageSize = 1024;
    public const double MaxPermitsPerSecond = 1_000_000;
    private const string Section = GatewayLimitsOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, GatewayLimitsOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < options.AllowedOrigins.Count; i++)
        {
            var origin = options.AllowedOrigins[i];
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || uri.PathAndQuery != "/" || !string.IsNullOrEmpty(uri.Fragment))
            {
                errors.Add($"{Section}:AllowedOrigins:{i} must be an origin such as 'https://app.example.com' (scheme, host, optional port; no path, no wildcard), was '{origin}'.");
            }
        }

        if (options.MaxConnectionsPerClient < 1)
        {
            errors.Add($"{Section}:MaxConnectionsPerClient must be at least 1, was {options.MaxConnectionsPerClient}.");
        }

        if (options.MaxHubMessageSize < MinHubMessageSize)
        {
            errors.Add($"{Section}:MaxHubMessageSize must be at least {MinHubMessageSize} bytes, was {options.MaxHubMessageSize}.");
        }

        var rate = options.RateLimit;
        if (!double.IsFinite(rate.PermitsPerSecond) || rate.PermitsPerSecond < 0 || rate.PermitsPerSecond > MaxPermitsPerSecond)
        {
            errors.Add($"{Section}:RateLimit:PermitsPerSecond must be between 0 (off) and {MaxPermitsPerSecond}, was {rate.PermitsPerSecond}.");
        }

        if (rate.Burst is < 1)
        {
            errors.Add($"{Section}:RateLimit:Burst must be at least 1, was {rate.Burst}.");
        }

        if (rate.ReplenishmentPeriod < TimeSpan.FromMilliseconds(1))
        {
            errors.Add($"{Section}:RateLimit:ReplenishmentPeriod must be at least 1 ms, was {rate.ReplenishmentPeriod}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
