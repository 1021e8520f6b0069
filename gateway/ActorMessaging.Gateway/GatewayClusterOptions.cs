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

    /// <summary>
    /// How long a grain call from this gateway waits for the response. An Orleans client does not fail the calls it
    /// sent through a silo's gateway when that silo dies or freezes (the silos themselves do, once it is declared
    /// dead): they wait this long, and a retry then goes through a live silo. So it bounds a failover as seen through a
    /// standalone gateway. Default 5 s (Orleans: 30 s), as for a silo's co-hosted gateway (same key); the silo's own
    /// grain-to-grain calls use <c>ResponseTimeout</c>, 15 s. Calls that take long on purpose (pull, deletes, dead-letter
    /// bulk operations) carry their own timeout.
    /// </summary>
    public TimeSpan GatewayResponseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often the gateway re-reads the list of live silos to connect to: until it does, it keeps sending new calls to
    /// a silo that was declared dead (a frozen silo keeps its sockets open), each waiting out
    /// <see cref="GatewayResponseTimeout"/>. Default 1 s (Orleans: 60 s): one small read of the membership table per
    /// second per standalone gateway; at 5 s the SIGSTOP chaos scenario's longest publish stall was 17.5 s instead of
    /// about 12 s.
    /// </summary>
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(1);
}
