namespace ActorMessaging.Grains;

/// <summary>Names of the Orleans grain storage providers the grains use; the host wires both to a backend.</summary>
public static class StorageNames
{
    /// <summary>Small, frequently rewritten grain state: topic and subscription records (a topic's record is listed as the topic), dead letters.</summary>
    public const string State = "am-state";

    /// <summary>Immutable log chunks, one record per group commit.</summary>
    public const string Log = "am-log";
}
