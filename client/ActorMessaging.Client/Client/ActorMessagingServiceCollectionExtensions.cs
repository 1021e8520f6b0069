using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorMessaging.Client;

/// <summary>Registers the ActorMessaging clients in a service collection.</summary>
public static class ActorMessagingServiceCollectionExtensions
{
    /// <summary>The configuration key of the gateway's address within the client's section.</summary>
    public const string EndpointKey = "Endpoint";

    /// <summary>The configuration key of several gateways' addresses within the client's section (<c>Endpoints:0</c>, <c>Endpoints:1</c>...).</summary>
    public const string EndpointsKey = "Endpoints";

    /// <summary>
    /// Registers a singleton <see cref="ActorMessagingClient"/> and <see cref="ActorMessagingAdministrationClient"/> configured
    /// from <paramref name="configuration"/>: <c>Endpoint</c> or <c>Endpoints</c> (a list; one of them required; with both,
    /// <c>Endpoint</c> is tried first), <c>ApiKey</c>, <c>ConnectTimeout</c> and <c>Retry:MaxElapsed</c>,
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
        // The application's logging, unless code set a factory of its own.
        builder.Configure<IServiceProvider>((options, provider) => options.LoggerFactory ??= provider.GetService<ILoggerFactory>());
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder
            .Validate(_ => TryEndpoints(configuration) is not null, $"{section}{EndpointKey} (or {section}{EndpointsKey}) is required: the absolute http(s) address of an ActorMessaging gateway, for example http://127.0.0.1:5080 (or a list of them).")
            .Validate(o => o.ApiKey is null || o.AccessTokenProvider is null, $"Give either {section}ApiKey or an AccessTokenProvider, not both.")
            .ValidateOnStart();

        services.TryAddSingleton(sp => new ActorMessagingClient(TryEndpoints(configuration)!, sp.GetRequiredService<IOptions<ActorMessagingClientOptions>>().Value));
        services.TryAddSingleton(sp => new ActorMessagingAdministrationClient(TryEndpoints(configuration)!, sp.GetRequiredService<IOptions<ActorMessagingClientOptions>>().Value));
        return services;
    }

    /// <summary><c>Endpoint</c> then the <c>Endpoints</c> list; null when there is none or one is not an absolute http(s) address.</summary>
    private static List<Uri>? TryEndpoints(IConfiguration configuration)
    {
        List<string?> values = [configuration[EndpointKey], .. configuration.GetSection(EndpointsKey).GetChildren().Select(c => c.Value)];
        var endpoints = new List<Uri>();
        foreach (var value in values.Where(v => !string.IsNullOrWhiteSpace(v)))
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
            {
                return null;
            }

            endpoints.Add(endpoint);
        }

        return endpoints.Count > 0 ? endpoints : null;
    }
}
