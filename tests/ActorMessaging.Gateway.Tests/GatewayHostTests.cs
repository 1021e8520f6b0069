namespace ActorMessaging.Gateway.Tests;

public sealed class GatewayHostTests
{
    [Fact]
    public async Task CoHostedPlatform_StartsAndReportsHealthy()
    {
        await using var host = await GatewayHost.StartAsync();

        var response = await host.Http.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}
