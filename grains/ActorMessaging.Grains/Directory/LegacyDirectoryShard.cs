namespace ActorMessaging.Grains.Directory;

/// <summary>
/// A shard of the topic directory of earlier versions: sorted names in one record per shard, rewritten whole on every
/// create and delete. Only read (and then cleared) by the upgrade.
/// </summary>
[GenerateSerializer, Alias("am.topic-directory-state")]
public sealed class LegacyDirectoryShard
{
    public const int Count = 16;

    internal const string StateName = "directory";

    private static readonly GrainType ShardType = GrainType.Create("topicdirectory");

    [Id(0)] public List<string> Topics { get; set; } = [];

    /// <summary>The id the shard grain (integer key <paramref name="shard"/>) stored its record under.</summary>
    internal static GrainId IdOf(int shard) => GrainId.Create(ShardType, GrainIdKeyExtensions.CreateIntegerKey(shard));
}
