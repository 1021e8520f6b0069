namespace ActorMessaging.Client;

/// <summary>The SignalR protocol the client speaks on the gateway's hub.</summary>
public enum ActorMessagingHubProtocol
{
    /// <summary>Binary: payloads travel as bytes rather than base64, and messages cost a fraction to read. The default.</summary>
    MessagePack,

    /// <summary>JSON text, for gateways older than the MessagePack protocol or to read the traffic.</summary>
    Json,
}
