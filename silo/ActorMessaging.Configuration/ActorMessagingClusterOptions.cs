namespace ActorMessaging.Configuration;

/// <summary>
/// How silos form a cluster and how a standalone gateway reaches it. Section <c>ActorMessaging:Cluster</c>, read by both
/// kinds of process through <see cref="ActorMessagingSettings"/>.
/// </summary>
public sealed class ActorMessagingClusterOptions
{
    public const string SectionName = "ActorMessaging:Cluster";

    /// <summary>
    /// The key <see cref="ClientPort"/> had until it was renamed: "gateway" is this product's HTTP and SignalR process.
    /// Still read (with a warning) when <see cref="ClientPort"/> is not set.
    /// </summary>
    public const string ObsoleteClientPortKey = "GatewayPort";

    /// <summary>Silos with the same cluster id form one cluster. Default <c>actormessaging</c>.</summary>
    public string ClusterId { get; set; } = "actormessaging";

    /// <summary>Identifies the deployment across cluster ids (storage keys depend on it). Default <c>actormessaging</c>.</summary>
    public string ServiceId { get; set; } = "actormessaging";

    /// <summary>Silo-to-silo port. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>
    /// The silo's port for Orleans clients (Orleans calls it the gateway port), which standalone gateways connect to;
    /// on SQLite or memory a standalone gateway finds its local silo here. Default 30000.
    /// </summary>
    public int ClientPort { get; set; } = 30000;

    /// <summary>
    /// Where new grains are placed: <c>ResourceOptimized</c> (default: the least loaded silo) or
    /// <c>Random</c> (an even spread regardless of load).
    /// </summary>
    public GrainPlacement Placement { get; set; } = GrainPlacement.ResourceOptimized;

    /// <summary>The address other silos reach this one at; default: loopback for SQLite/memory, the host's address for PostgreSQL.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// First timeout of a liveness probe; Orleans then adapts each silo's probe timeout and period to the measured
    /// round trips, between half of this and <see cref="MaxProbeTimeout"/>. Default 2 s (Orleans: 5 s).
    /// </summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Longest effective probe timeout. Also bounds how long a recent message from a silo keeps it from being voted
    /// dead (<see cref="MaxProbeTimeout"/> × <see cref="NumMissedProbesLimit"/>, while
    /// <see cref="EnableConnectionLivenessCheck"/> is on). Default 3 s (Orleans: four times the probe timeout).
    /// </summary>
    public TimeSpan MaxProbeTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Missed probes in a row after which a silo votes the probed silo dead. Default 3.</summary>
    public int NumMissedProbesLimit { get; set; } = 3;

    /// <summary>How many other silos each silo probes. Default 10.</summary>
    public int NumProbedSilos { get; set; } = 10;

    /// <summary>
    /// Votes that declare a silo dead (Orleans needs fewer when fewer silos are active). At most
    /// <see cref="NumProbedSilos"/>. Default 2.
    /// </summary>
    public int NumVotesForDeathDeclaration { get; set; } = 2;

    /// <summary>After a failed direct probe, ask other silos to probe too before voting. Default <c>true</c>.</summary>
    public bool EnableIndirectProbes { get; set; } = true;

    /// <summary>
    /// A silo that sent this one a message within the probe window is not voted dead even when probes fail
    /// (guards against the prober's own pauses). Default <c>true</c>.
    /// </summary>
    public bool EnableConnectionLivenessCheck { get; set; } = true;

    /// <summary>
    /// How often each silo writes its heartbeat to the membership table; an active entry without one for three periods is
    /// stale (no longer an intermediary for indirect probes). Default 5 s (Orleans: 30 s).
    /// </summary>
    public TimeSpan IAmAliveTablePublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often each silo reads the whole membership table besides gossip: the bound on how long a silo that missed the
    /// gossip (it was frozen) keeps serving after it was declared dead. Default 10 s (Orleans: 60 s).
    /// </summary>
    public TimeSpan TableRefreshTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long entries of dead silos stay in the membership table. Default 1 day (Orleans: 7 days).</summary>
    public TimeSpan DefunctSiloExpiration { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long a grain call from this silo (its co-hosted gateway included) waits for the response. Calls to a silo
    /// declared dead fail at once; this bounds calls to one that is frozen but not yet declared dead. Default 15 s
    /// (Orleans: 30 s). Calls that wait on purpose (pull) carry their own timeout.
    /// </summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a grain call from a gateway waits for the response: a co-hosted gateway's in the silo, a standalone
    /// gateway's in its own process. Below the SDK's 10 s try timeout, so a client whose gateway waits on a frozen silo
    /// gets a transient error over its working connection and retries there. A standalone gateway needs it for one more
    /// reason: an Orleans client does not fail the calls it sent through a silo that dies or freezes (silos do, once it is
    /// declared dead), so they wait this long and the retry goes through a live silo. Default 5 s (Orleans: 30 s). Calls
    /// that take long on purpose (pull, deletes, dead-letter bulk operations) carry their own timeout.
    /// </summary>
    public TimeSpan GatewayResponseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a topic or subscription grain may go without a call before it is deactivated: an idle one then holds no
    /// memory and no timers, and the next call activates it again from storage. Orleans' default is 15 minutes, which
    /// keeps every topic of a burst resident; subscriptions with consumers attached and topics being watched renew
    /// often enough to stay active. Default 2 minutes.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Standalone gateways only: how often the gateway re-reads the list of live silos to connect to. Until it does, it
    /// keeps sending new calls to a silo that was declared dead (a frozen silo keeps its sockets open), each waiting out
    /// <see cref="GatewayResponseTimeout"/>. Default 1 s (Orleans: 60 s): one small read of the membership table per
    /// second per standalone gateway; at 5 s the SIGSTOP chaos scenario's longest publish stall was 17.5 s instead of
    /// about 12 s.
    /// </summary>
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(1);
}
