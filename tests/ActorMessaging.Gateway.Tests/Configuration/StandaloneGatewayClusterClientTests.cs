using ActorMessaging.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace ActorMessaging.Gateway.Tests;

/// <summary>
/// The standalone gateway's Orleans client carries the failover bounds of docs/operations.md ("Failure detection") by
/// default, read from the same <c>ActorMessaging:Cluster</c> keys as the silo.
/// </summary>
public sealed class StandaloneGatewayClusterClientTests
{
    [Fact]
    public void Defaults_RefreshTheSiloListEvery5s_AndGiveUpOnACallAfter5s()
    {
        using var host = Build([]);

        Assert.Equal(TimeSpan.FromSeconds(5), host.Services.GetRequiredService<IOptions<ClientMessagingOptions>>().Value.ResponseTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), host.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.GatewayListRefreshPeriod);
    }

    [Fact]
    public void ClusterSection_SetsBoth()
    {
        using var host = Build(new()
        {
            ["ActorMessaging:Cluster:GatewayResponseTimeout"] = "00:00:20",
            ["ActorMessaging:Cluster:GatewayListRefreshPeriod"] = "00:00:02",
        });

        Assert.Equal(TimeSpan.FromSeconds(20), host.Services.GetRequiredService<IOptions<ClientMessagingOptions>>().Value.ResponseTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), host.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.GatewayListRefreshPeriod);
    }

    [Theory]
    [InlineData("ActorMessaging:Cluster:GatewayResponseTimeout")]
    [InlineData("ActorMessaging:Cluster:GatewayListRefreshPeriod")]
    public void NonPositivePeriod_IsRefused_NamingTheKey(string key)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Build(new() { [key] = "00:00:00" }).Dispose());

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.UseActorMessagingClusterClient();
        return builder.Build();
    }
}
