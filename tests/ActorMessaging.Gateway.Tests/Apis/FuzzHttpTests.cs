using ActorMessaging.Contracts;
using ActorMessaging.Gateway.Security;
using ActorMessaging.Testing.Fuzz;
using static ActorMessaging.Gateway.Tests.HttpApi;

namespace ActorMessaging.Gateway.Tests;

/// <summary>
/// Issue 12 fuzz: generated requests to every HTTP endpoint (<see cref="GatewayAccessRules.Api"/>) never get a 5xx, and
/// a refused publish stores nothing. Seeded: a failure names its seed and request. The longer run is <c>bench fuzz</c>.
/// </summary>
public sealed class FuzzHttpTests(HttpApiFixture fixture) : IClassFixture<HttpApiFixture>
{
    private readonly HttpClient _http = fixture.Http;

    [Theory]
    [InlineData(20261203)]
    [InlineData(7)]
    public async Task GeneratedRequests_ToEveryEndpoint_NeverGet5xx_AndARefusedPublishStoresNothing(int seed)
    {
        var topic = UniqueName("fuzz");
        await _http.CreateTopicAsync(topic);
        await _http.CreateSubscriptionAsync(topic, "s");

        var outcome = await HttpFuzz.RunAsync(_http, [.. GatewayAccessRules.Api.Keys], topic, "s", seed, rounds: 400);

        Assert.Empty(outcome.ServerErrors);
        Assert.True(outcome.AcceptedPublishes > 0, $"seed {seed}: no publish was accepted, so the run did not reach the log");
        var described = await (await _http.GetAsync(Topic(topic))).ReadAsync<TopicDescription>();
        Assert.Equal(outcome.AcceptedPublishes, described.LastSequence);
    }
}
