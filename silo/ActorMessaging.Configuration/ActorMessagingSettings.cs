using Microsoft.Extensions.Configuration;

namespace ActorMessaging.Configuration;

/// <summary>
/// The <c>ActorMessaging:Storage</c> and <c>ActorMessaging:Cluster</c> sections as one checked value: the one way both
/// silos and standalone gateways read them, so a new setting is added once.
/// </summary>
/// <param name="Storage">Where the data (and, on PostgreSQL, cluster membership) lives.</param>
/// <param name="Cluster">How the cluster is formed and reached.</param>
/// <param name="Warnings">Settings that still work but should change (renamed keys), for the host to log.</param>
public sealed record ActorMessagingSettings(ActorMessagingStorageOptions Storage, ActorMessagingClusterOptions Cluster, IReadOnlyList<string> Warnings)
{
    /// <summary>Binds and checks both sections; throws an <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> naming every invalid key.</summary>
    public static ActorMessagingSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var storage = configuration.GetSection(ActorMessagingStorageOptions.SectionName).Get<ActorMessagingStorageOptions>() ?? new();
        var clusterSection = configuration.GetSection(ActorMessagingClusterOptions.SectionName);
        var cluster = clusterSection.Get<ActorMessagingClusterOptions>() ?? new();
        var warnings = new List<string>();
        var clientPortKey = ReadObsoleteClientPort(clusterSection, cluster, warnings);
        ActorMessagingOptionsValidator.Validate(storage, cluster, clientPortKey);
        return new ActorMessagingSettings(storage, cluster, warnings);
    }

    /// <returns>The key the client port came from.</returns>
    private static string ReadObsoleteClientPort(IConfigurationSection cluster, ActorMessagingClusterOptions options, List<string> warnings)
    {
        const string CurrentKey = nameof(ActorMessagingClusterOptions.ClientPort);
        var obsolete = cluster.GetSection(ActorMessagingClusterOptions.ObsoleteClientPortKey);
        if (obsolete.Value is null)
        {
            return CurrentKey;
        }

        var prefix = ActorMessagingClusterOptions.SectionName;
        if (cluster.GetSection(nameof(ActorMessagingClusterOptions.ClientPort)).Value is not null)
        {
            warnings.Add($"{prefix}:{ActorMessagingClusterOptions.ObsoleteClientPortKey} is ignored: {prefix}:{CurrentKey}, its new name, is set too. Remove the old key.");
            return CurrentKey;
        }

        options.ClientPort = obsolete.Get<int>();
        warnings.Add($"{prefix}:{ActorMessagingClusterOptions.ObsoleteClientPortKey} is renamed {prefix}:{CurrentKey}; the old key still works for now. Rename it.");
        return ActorMessagingClusterOptions.ObsoleteClientPortKey;
    }
}
