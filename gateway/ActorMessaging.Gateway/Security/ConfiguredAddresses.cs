using Microsoft.Extensions.Configuration;

namespace ActorMessaging.Gateway.Security;

/// <summary>
/// The addresses the configuration tells the server to listen on, read before it starts: <c>urls</c>
/// (<c>ASPNETCORE_URLS</c>, <c>--urls</c>), <c>http_ports</c>/<c>https_ports</c> (every interface) and
/// <c>Kestrel:Endpoints:*:Url</c>. Listeners set up in code are not seen here; <see cref="LoopbackOnlyGuard"/> checks
/// what the server really bound once it listens.
/// </summary>
internal static class ConfiguredAddresses
{
    public static IEnumerable<string> Of(IConfiguration configuration)
    {
        foreach (var url in (configuration["urls"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return url;
        }

        foreach (var (key, scheme) in new[] { ("http_ports", "http"), ("https_ports", "https") })
        {
            foreach (var port in (configuration[key] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                yield return $"{scheme}://*:{port}";
            }
        }

        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                yield return url;
            }
        }
    }
}
