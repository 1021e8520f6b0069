namespace ActorMessaging.Grains.Directory;

/// <summary>The one-time move from the sharded topic directory of earlier versions to the catalog (key: 0).</summary>
[Alias("am.topic-catalog-upgrade")]
public interface ITopicCatalogUpgradeGrain : IGrainWithIntegerKey
{
    /// <summary>Starts the upgrade if needed and waits up to <paramref name="wait"/>; true once it has completed.</summary>
    [Alias("ensure")]
    Task<bool> EnsureCompletedAsync(TimeSpan wait);
}
