namespace ActorMessaging.Grains.Directory;

[GenerateSerializer, Alias("am.topic-directory-state")]
public sealed class TopicDirectoryState
{
    /// <summary>Topic names in ordinal order.</summary>
    [Id(0)] public List<string> Topics { get; set; } = [];
}
