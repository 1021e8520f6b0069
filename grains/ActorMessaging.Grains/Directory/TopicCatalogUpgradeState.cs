namespace ActorMessaging.Grains.Directory;

[GenerateSerializer, Alias("am.topic-catalog-upgrade-state")]
public sealed class TopicCatalogUpgradeState
{
    [Id(0)] public bool Completed { get; set; }
}
