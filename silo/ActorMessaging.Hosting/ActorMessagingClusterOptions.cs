namespace ActorMessaging.Hosting;

/// <summary>How the silo joins its cluster. Section <c>ActorMessaging:Cluster</c>.</summary>
public sealed class ActorMessagingClusterOptions
{
    public const string SectionName = "ActorMessaging:Cluster";

    /// <summary>Silos with the same cluster id form one cluster. Default <c>actormessaging</c>.</summary>
    public string ClusterId { get; set; } = "actormessaging";

    /// <summary>Identifies the deployment across cluster ids (storage keys depend on it). Default <c>actormessaging</c>.</summary>
    public string ServiceId { get; set; } = "actormessaging";

    /// <summary>Silo-to-silo port. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port Orleans clients (gateways) connect to. Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// Where new grains are placed: <c>ResourceOptimized</c> (default: the least loaded silo) or
    /// <c>Random</c> (an even spread regardless of load).
    /// </summary>
    public GrainPlacement Placement { get; set; } = GrainPlacement.ResourceOptimized;

    /// <summary>The address other silos reach this one at; default: loopback for SQLite/memory, the host's address for PostgreSQL.</summary>
    public string? AdvertisedAddress { get; set; }
}
