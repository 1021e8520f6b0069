namespace ActorMessaging.Gateway;

/// <summary>
/// How a standalone gateway finds the silo cluster. It reads the same keys as the silo
/// (<c>ActorMessaging:Storage</c> and <c>ActorMessaging:Cluster</c>), so one configuration serves both.
/// </summary>
public sealed class GatewayClusterOptions
{
    /// <summary><c>Sqlite</c>/<c>Memory</c>: the silo is on this machine, reached at <see cref="GatewayPort"/>. <c>Postgres</c>: silos are found through the membership table.</summary>
    public string Provider { get; set; } = "Sqlite";

    /// <summary>PostgreSQL connection string (required for <c>Postgres</c>).</summary>
    public string? ConnectionString { get; set; }

    public string ClusterId { get; set; } = "actormessaging";

    public string ServiceId { get; set; } = "actormessaging";

    /// <summary>The silo's gateway port for a local cluster. Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;
}
