namespace ActorMessaging.Grains.Directory;

/// <summary>Where a topic's record is stored: its presence is the topic's existence, and listing scans these keys.</summary>
public static class TopicRecords
{
    internal const string GrainTypeName = "topic";

    /// <summary>The state name of the record.</summary>
    public const string StateName = "topic";

    /// <summary>The topic grain's type, whose keys are the topic names.</summary>
    public static GrainType GrainType { get; } = GrainType.Create(GrainTypeName);
}
