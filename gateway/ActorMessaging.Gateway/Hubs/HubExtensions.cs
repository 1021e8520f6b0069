using ActorMessaging.Contracts.MessagePack;
using ActorMessaging.Gateway.Hubs.Live;
using ActorMessaging.Gateway.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorMessaging.Gateway.Hubs;

/// <summary>The SignalR hub at <c>/hubs/messaging</c> and the delivery path from subscription grains to connections.</summary>
internal static class HubExtensions
{
    /// <summary>
    /// Largest message a client may send (a publish batch). Room for one message of the 1 MiB maximum as
    /// base64 with its JSON around it; larger batches go through the HTTP API.
    /// </summary>
    public const long MaxReceiveMessageSize = 4L * 1024 * 1024;

    /// <summary>
    /// How often the hub pings an idle connection. The SDK takes 15 s without a ping as a frozen or cut-off gateway and
    /// reconnects to another; SignalR's 15 s default would let it notice only after 30 s. A ping is a few bytes.
    /// </summary>
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(5);

    private const string HubDispatcherLogCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    private const string HubConnectionHandlerLogCategory = "Microsoft.AspNetCore.SignalR.HubConnectionHandler";

    public static IHostApplicationBuilder AddGatewayHub(this IHostApplicationBuilder builder)
    {
        builder.Services
            .AddSignalR(options =>
            {
                options.MaximumReceiveMessageSize = MaxReceiveMessageSize;
                options.KeepAliveInterval = KeepAliveInterval;
                options.AddFilter<HubErrorFilter>();
            })
            .AddMessagePackProtocol();

        // Hub arguments follow the HTTP API's rules (WireJson): exact field names, unknown fields refused. A refused
        // argument is a typed error on that call; the connection stays.
        builder.Services.AddOptions<JsonHubProtocolOptions>().Configure(options =>
        {
            options.PayloadSerializerOptions.PropertyNameCaseInsensitive = false;
            options.PayloadSerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
        });

        // MessagePack carries the JSON protocol's shapes (same field names and rules), so it is built from its options.
        builder.Services.AddOptions<MessagePackHubProtocolOptions>()
            .Configure<IOptions<JsonHubProtocolOptions>>((options, json) =>
                options.SerializerOptions = ActorMessagingMessagePack.Create(json.Value.PayloadSerializerOptions, new LiveFrameMessagePackFormatter()));
        UseTypedErrorProtocol(builder.Services);

        // SignalR logs every exception a hub method throws as an error, typed client errors included;
        // HubErrorFilter logs them instead: unexpected ones as errors, a client's bad call at Debug.
        builder.Logging.AddFilter(HubDispatcherLogCategory, LogLevel.Critical);

        // It logs a connection refused in OnConnectedAsync (auth, connection limit) as an error with a stack trace, and
        // a client's malformed frames likewise: a flood from anonymous callers. RefusalLog logs refusals; HubErrorFilter
        // logs what fails unexpectedly in OnConnectedAsync and OnDisconnectedAsync.
        builder.Logging.AddFilter(HubConnectionHandlerLogCategory, LogLevel.Critical);
        builder.Services.AddSingleton<HubErrorFilter>();
        builder.Services.AddSingleton<HubSubscriptionRegistry>();
        builder.Services.AddSingleton<HubDeliveryObserver>();
        builder.Services.AddSingleton<HubSubscriptions>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<LiveFeeds>();
        builder.Services.AddSingleton<LiveMessageEncoder>();
        builder.Services.AddSingleton<SiloDepartures>();
        builder.Services.AddHostedService<HubSubscriptionRenewal>();
        return builder;
    }

    /// <summary>Wraps the hub protocols (JSON, MessagePack) in <see cref="HubErrorProtocol"/>, so clients see typed errors as raised.</summary>
    private static void UseTypedErrorProtocol(IServiceCollection services)
    {
        // SignalR registers each protocol by type; whoever calls it first, there is one registration per protocol.
        var protocols = services.Where(d => d.ServiceType == typeof(IHubProtocol) && d.ImplementationType is { } type && type != typeof(HubErrorProtocol)).ToList();
        foreach (var protocol in protocols)
        {
            var type = protocol.ImplementationType!;
            services.Remove(protocol);
            services.AddSingleton<IHubProtocol>(provider => new HubErrorProtocol(Create(provider, type)));
        }
    }

    // Built with their options explicitly: ActivatorUtilities may choose a protocol's parameterless constructor, and
    // then its default options, not ours (exact field names, unknown fields refused).
    private static IHubProtocol Create(IServiceProvider provider, Type type) =>
        type == typeof(JsonHubProtocol) ? new JsonHubProtocol(provider.GetRequiredService<IOptions<JsonHubProtocolOptions>>())
        : type == typeof(MessagePackHubProtocol) ? new MessagePackHubProtocol(provider.GetRequiredService<IOptions<MessagePackHubProtocolOptions>>())
        : (IHubProtocol)ActivatorUtilities.CreateInstance(provider, type);

    public static WebApplication MapGatewayHub(this WebApplication app)
    {
        // A connection lives no longer than the credentials it was opened with: a token that expires closes it, and
        // the client's reconnect authenticates again (API keys do not expire, so their connections stay).
        app.MapHub<MessagingHub>(MessagingHub.Path, options => options.CloseOnAuthenticationExpiration = true);
        return app;
    }
}
