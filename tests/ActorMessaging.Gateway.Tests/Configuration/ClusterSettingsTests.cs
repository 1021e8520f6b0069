using ActorMessaging.Configuration;
using ActorMessaging.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorMessaging.Gateway.Tests;

/// <summary>
/// <c>ActorMessaging:Storage</c> and <c>ActorMessaging:Cluster</c> are read by <see cref="ActorMessagingSettings"/> for
/// silos and standalone gateways alike; the Orleans client port's old key still works, with a warning.
/// </summary>
public sealed class ClusterSettingsTests
{
    [Fact]
    public void ObsoleteGatewayPortKey_StillSetsTheClientPort_WithAWarningNamingBothKeys()
    {
        var settings = Read(new() { ["ActorMessaging:Cluster:GatewayPort"] = "31000" });

        Assert.Equal(31000, settings.Cluster.ClientPort);
        var warning = Assert.Single(settings.Warnings);
        Assert.Contains("ActorMessaging:Cluster:GatewayPort is renamed ActorMessaging:Cluster:ClientPort", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void BothKeys_TheNewOneWins_AndTheOldOneIsReportedIgnored()
    {
        var settings = Read(new() { ["ActorMessaging:Cluster:GatewayPort"] = "31000", ["ActorMessaging:Cluster:ClientPort"] = "32000" });

        Assert.Equal(32000, settings.Cluster.ClientPort);
        Assert.Contains("GatewayPort is ignored", Assert.Single(settings.Warnings), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ActorMessaging:Cluster:ClientPort", "0")]
    [InlineData("ActorMessaging:Cluster:GatewayPort", "65536")]
    [InlineData("ActorMessaging:Cluster:SiloPort", "0")]
    [InlineData("ActorMessaging:Cluster:ClusterId", " ")]
    [InlineData("ActorMessaging:Cluster:GatewayListRefreshPeriod", "00:00:00")]
    [InlineData("ActorMessaging:Cluster:IdleTimeout", "00:00:00.5")]
    public void InvalidValue_IsRefused_NamingTheKeyItWasGivenBy(string key, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Read(new() { [key] = value }));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_NeedNoSettings_AndWarnOfNothing()
    {
        var settings = Read([]);

        Assert.Equal((StorageProvider.Sqlite, 30000, 11111), (settings.Storage.Provider, settings.Cluster.ClientPort, settings.Cluster.SiloPort));
        Assert.Equal(TimeSpan.FromMinutes(2), settings.Cluster.IdleTimeout);
        Assert.Empty(settings.Warnings);
    }

    [Fact]
    public async Task Silo_LogsTheSettingsWarnings_WhenItStarts()
    {
        var logs = new SecurityLogCapture();
        await using var host = await GatewayHost.StartAsync(
            new Dictionary<string, string?> { ["ActorMessaging:Cluster:GatewayPort"] = "31000" },
            services => services.AddSingleton<ILoggerProvider>(logs));

        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("GatewayPort is ignored", StringComparison.Ordinal));
    }

    private static ActorMessagingSettings Read(Dictionary<string, string?> values) =>
        ActorMessagingSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
}
