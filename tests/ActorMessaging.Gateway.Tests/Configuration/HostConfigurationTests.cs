using Microsoft.Extensions.Options;

namespace ActorMessaging.Gateway.Tests;

/// <summary>A bad setting stops the host at start-up, with a message that names the key.</summary>
public sealed class HostConfigurationTests
{
    [Theory]
    [InlineData("ActorMessaging:Storage:Provider", "Postgres", "ActorMessaging:Storage:ConnectionString")]
    [InlineData("ActorMessaging:Cluster:ClusterId", "", "ActorMessaging:Cluster:ClusterId")]
    [InlineData("ActorMessaging:Cluster:AdvertisedAddress", "not-an-ip", "ActorMessaging:Cluster:AdvertisedAddress")]
    public async Task InvalidSetting_StopsStartup_NamingTheKey(string key, string value, string named)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            GatewayHost.StartAsync(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownStorageProvider_StopsStartup_NamingTheKey()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            GatewayHost.StartAsync(new Dictionary<string, string?> { ["ActorMessaging:Storage:Provider"] = "Cassandra" }));

        Assert.Contains("ActorMessaging:Storage:Provider", error.Message, StringComparison.Ordinal);
    }
}
