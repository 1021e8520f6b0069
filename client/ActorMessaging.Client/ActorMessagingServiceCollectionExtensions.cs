using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ActorMessaging.Client;

/// <summary>Registers the ActorMessaging clients in a service collection.</summary>
public static class ActorMessagingServiceCollectionExtensions
{
    /// <summary>The configuration key of the gateway's address within the client's section.</summary>
    public const string EndpointKey = "Endpoint";

    /// <summary>
    /// Registers a singleton <see cref="ActorMessagingClient"/> and <see cref="ActorMessagingAdministrationClient"/> configured
    /// from <paramref name="configuration"/>: <c>Endpoint</c> (required), <c>ApiKey</c>, <c>ConnectTimeout</c> and
    /// <c>Retry:MaxRetries</c>, <c>Retry:Delay</c>, <c>Retry:MaxDelay</c>, <c>Retry:Jitter</c>, <c>Retry:TryTimeout</c>.
    /// Pass the section, usually <c>builder.Configuration.GetSection(ActorMessagingClientOptions.SectionName)</c>. The
    /// settings are checked when the host starts, and a bad one stops it with a message that names the key.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The client's configuration section.</param>
    /// <param name="configure">Further settings in code, applied after the configuration (for example an <see cref="ActorMessagingClientOptions.AccessTokenProvider"/>).</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddActorMessagingClient(this IServiceCollection services, IConfiguration configuration, Action<ActorMessagingClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration is IConfigurationSection { Path: { Length: > 0 } path } ? path + ":" : string.Empty;
        var builder = services.AddOptions<ActorMessagingClientOptions>()
            .Configure(options =>
            {
                try
                {
                    configuration.Bind(options);
                }
                catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or System.Reflection.TargetInvocationException)
                {
                    // A setter refused a value (its message names the option), or a value did not convert.
                    var cause = exception is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : exception;
                    throw new OptionsValidationException(section.TrimEnd(':'), typeof(ActorMessagingClientOptions), [$"{section.TrimEnd(':')}: {cause.Message}"]);
                }
            });
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder
            .Validate(_ => TryEndpoint(configuration) is not null, $"{section}{EndpointKey} is required: the absolute http(s) address of an ActorMessaging gateway, for example http://127.0.0.1:5080.")
            .Validate(o => o.ApiKey is null || o.AccessTokenProvider is null, $"Give either {section}ApiKey or an AccessTokenProvider, not both.")
            .ValidateOnStart();

        services.TryAddSingleton(sp => new ActorMessagingClient(TryEndpoint(configuration)!, sp.GetRequiredService<IOptions<ActorMessagingClientOptions>>().Value));
        services.TryAddSingleton(sp => new ActorMessagingAdministrationClient(TryEndpoint(configuration)!, sp.GetRequiredService<IOptions<ActorMessagingClientOptions>>().Value));
        return services;
    }

    private static Uri? TryEndpoint(IConfiguration configuration) =>
        Uri.TryCreate(configuration[EndpointKey], UriKind.Absolute, out var endpoint) && (endpoint.Scheme == Uri.UriSchemeHttp || endpoint.Scheme == Uri.UriSchemeHttps)
            ? endpoint
            : null;
}
