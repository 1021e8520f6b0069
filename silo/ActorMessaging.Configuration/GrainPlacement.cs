namespace ActorMessaging.Configuration;

/// <summary>How a cluster chooses the silo for a new topic or subscription activation.</summary>
public enum GrainPlacement
{
    /// <summary>Orleans' default: the silo with the most spare CPU and memory.</summary>
    ResourceOptimized,

    /// <summary>Any active silo, uniformly.</summary>
    Random,
}
