using ActorMessaging.Contracts.MessagePack;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ActorMessaging.Bench;

/// <summary>The SignalR hub protocol a fan-out cell's clients speak (the servers accept both).</summary>
internal enum FanoutProtocol
{
    Json,
    MessagePack,
}

internal static class FanoutProtocols
{
    /// <summary>What a row's system name carries: nothing for JSON, the default.</summary>
    public static string Suffix(this FanoutProtocol protocol) => protocol == FanoutProtocol.MessagePack ? " (MessagePack)" : "";

    /// <summary>A stock .NET SignalR client on WebSockets speaking <paramref name="protocol"/>; MessagePack with the gateway's wire formatters.</summary>
    public static HubConnection Connection(Uri hub, FanoutProtocol protocol)
    {
        var builder = new HubConnectionBuilder().WithUrl(hub, HttpTransportType.WebSockets, o => o.SkipNegotiation = true);
        if (protocol == FanoutProtocol.MessagePack)
        {
            builder.AddMessagePackProtocol(o => o.SerializerOptions = ActorMessagingMessagePack.SerializerOptions);
        }

        return builder.Build();
    }
}
