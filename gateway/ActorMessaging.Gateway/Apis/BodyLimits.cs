namespace ActorMessaging.Gateway.Apis;

/// <summary>The largest request bodies the HTTP API reads.</summary>
internal static class BodyLimits
{
    /// <summary>Publish: a full batch (<see cref="MessageLimits.MaxBatchBytes"/>) grows by a third as base64, plus JSON framing.</summary>
    public const long Publish = 16 * 1024 * 1024;

    /// <summary>Every other endpoint: settings, pulls and ack id lists are small.</summary>
    public const long Default = 1024 * 1024;
}
