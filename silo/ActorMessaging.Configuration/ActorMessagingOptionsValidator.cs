using System.Net;
using Microsoft.Extensions.Options;

namespace ActorMessaging.Configuration;

/// <summary>
/// Checks the settings before anything starts, the same way for a silo and a standalone gateway; every message names the
/// configuration key.
/// </summary>
public static class ActorMessagingOptionsValidator
{
    /// <param name="storage">The storage section.</param>
    /// <param name="cluster">The cluster section.</param>
    /// <param name="clientPortKey">The key the client port was read from (its old name while that is still accepted).</param>
    public static void Validate(ActorMessagingStorageOptions storage, ActorMessagingClusterOptions cluster, string clientPortKey = nameof(ActorMessagingClusterOptions.ClientPort))
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(cluster);
        var errors = new List<string>();
        if (!Enum.IsDefined(storage.Provider))
        {
            errors.Add($"{ActorMessagingStorageOptions.SectionName}:Provider must be Sqlite, Postgres or Memory.");
        }

        if (storage.Provider == StorageProvider.Postgres && string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            errors.Add($"{ActorMessagingStorageOptions.SectionName}:ConnectionString is required when the provider is Postgres.");
        }

        if (string.IsNullOrWhiteSpace(cluster.ClusterId))
        {
            errors.Add($"{ActorMessagingClusterOptions.SectionName}:ClusterId must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(cluster.ServiceId))
        {
            errors.Add($"{ActorMessagingClusterOptions.SectionName}:ServiceId must not be empty.");
        }

        if (!Enum.IsDefined(cluster.Placement))
        {
            errors.Add($"{ActorMessagingClusterOptions.SectionName}:Placement must be ResourceOptimized or Random.");
        }

        CheckPort(errors, "SiloPort", cluster.SiloPort);
        CheckPort(errors, clientPortKey, cluster.ClientPort);
        if (cluster.AdvertisedAddress is { Length: > 0 } address && !IPAddress.TryParse(address, out _))
        {
            errors.Add($"{ActorMessagingClusterOptions.SectionName}:AdvertisedAddress must be an IP address, was '{address}'.");
        }

        CheckFailureDetection(errors, cluster);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException("ActorMessaging", typeof(ActorMessagingStorageOptions), errors);
        }
    }

    private static void CheckFailureDetection(List<string> errors, ActorMessagingClusterOptions cluster)
    {
        CheckPositive(errors, "ProbeTimeout", cluster.ProbeTimeout);
        CheckPositive(errors, "IAmAliveTablePublishTimeout", cluster.IAmAliveTablePublishTimeout);
        CheckPositive(errors, "TableRefreshTimeout", cluster.TableRefreshTimeout);
        CheckPositive(errors, "DefunctSiloExpiration", cluster.DefunctSiloExpiration);
        CheckPositive(errors, "ResponseTimeout", cluster.ResponseTimeout);
        CheckPositive(errors, "GatewayResponseTimeout", cluster.GatewayResponseTimeout);
        CheckPositive(errors, "GatewayListRefreshPeriod", cluster.GatewayListRefreshPeriod);
        if (cluster.IdleTimeout < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{ActorMessagingClusterOptions.SectionName}:IdleTimeout must be at least 1 second, was {cluster.IdleTimeout}.");
        }
        if (cluster.MaxProbeTimeout < cluster.ProbeTimeout)
        {
            errors.Add($"{ActorMessagingClusterOptions.SectionName}:MaxProbeTimeout must be at least ProbeTimeout ({cluster.ProbeTimeout}), was {cluster.MaxProbeTimeout}.");
        }

        CheckAtLeastOne(errors, "NumMissedProbesLimit", cluster.NumMissedProbesLimit);
        CheckAtLeastOne(errors, "NumProbedSilos", cluster.NumProbedSilos);
        CheckAtLeastOne(errors, "NumVotesForDeathDeclaration", cluster.NumVotesForDeathDeclaration);
        if (cluster.NumVotesForDeathDeclaration > cluster.NumProbedSilos)
        {
            errors.Add($"{ActorMessagingClusterOptions.SectionName}:NumVotesForDeathDeclaration must be at most NumProbedSilos ({cluster.NumProbedSilos}), was {cluster.NumVotesForDeathDeclaration}.");
        }
    }

    private static void CheckPositive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{ActorMessagingClusterOptions.SectionName}:{key} must be a positive time span, was {value}.");
        }
    }

    private static void CheckAtLeastOne(List<string> errors, string key, int value)
    {
        if (value < 1)
        {
            errors.Add($"{ActorMessagingClusterOptions.SectionName}:{key} must be at least 1, was {value}.");
        }
    }

    private static void CheckPort(List<string> errors, string key, int port)
    {
        if (port is < 1 or > 65535)
        {
            errors.Add($"{ActorMessagingClusterOptions.SectionName}:{key} must be between 1 and 65535, was {port}.");
        }
    }
}
