using ActorMessaging.Testing;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// Issue 12: a setting the host refuses ended the process through an unhandled exception (exit code 134, a stack
/// trace). Now it prints one line naming the key and exits with 1, for the silo and the standalone gateway alike.
/// </summary>
public sealed class StartupFailureTests
{
    private static readonly TimeSpan ExitWithin = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("silo/ActorMessaging.Silo", "ActorMessaging__Gateway__MaxConnectionsPerClient", "0", "ActorMessaging:Gateway:MaxConnectionsPerClient")]
    [InlineData("silo/ActorMessaging.Silo", "ActorMessaging__Storage__Provider", "Cassandra", "ActorMessaging:Storage:Provider")]
    [InlineData("silo/ActorMessaging.Silo", "ActorMessaging__Auth__Mode", "Keys", "ActorMessaging:Auth:ApiKeys")]
    [InlineData("gateway/ActorMessaging.Gateway.Host", "ActorMessaging__Cluster__ClientPort", "0", "ActorMessaging:Cluster:ClientPort")]
    [InlineData("silo/ActorMessaging.Silo", "ActorMessaging__Cluster__GatewayPort", "70000", "ActorMessaging:Cluster:GatewayPort")]

    // No authentication (Development's default) while listening beyond loopback: refused before the server starts,
    // so without the host's "Hosting failed to start" stack trace.
    [InlineData("silo/ActorMessaging.Silo", "Kestrel__Endpoints__Open__Url", "http://0.0.0.0:0", "gateway listens beyond loopback (http://0.0.0.0:")]
    public async Task InvalidSetting_ExitsWith1_AndOneLineNamingTheKey(string project, string variable, string value, string key)
    {
        var (exitCode, output) = await DotnetProcess.RunToExitAsync(project, new Dictionary<string, string> { [variable] = value }, ExitWithin);

        Assert.True(exitCode == 1, $"exit code {exitCode}{Environment.NewLine}{output}");
        var failure = Assert.Single(output.Split(Environment.NewLine), line => line.Contains("ActorMessaging did not start", StringComparison.Ordinal));
        Assert.Contains(key, failure, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }
}
