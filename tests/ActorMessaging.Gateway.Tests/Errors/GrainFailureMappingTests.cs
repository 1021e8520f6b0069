using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;

namespace ActorMessaging.Gateway.Tests;

/// <summary>
/// Issue 11, risk 4, end to end: a grain call that fails the way storage or the cluster fails (the exception crosses
/// Orleans as a real one does) is a transient 503 with <c>Retry-After</c> over HTTP, and the same code as a typed hub
/// error, never 500 Internal, and never with the storage layer's text.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class GrainFailureMappingTests(FaultsFixture fixture)
{
    private GatewayHost Host => fixture.Host;

    public static TheoryData<string, ErrorCode> Failures => new()
    {
        { "npgsql", ErrorCode.StorageUnavailable },
        { "sqlite", ErrorCode.StorageUnavailable },
        { "etag", ErrorCode.StorageUnavailable },
        { "storage-bridge", ErrorCode.StorageUnavailable },
        { "silo", ErrorCode.Unavailable },
        { "timeout", ErrorCode.Timeout },
        { "task-cancelled", ErrorCode.Timeout },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Publish_WhenTheGrainCallFails_IsTransient503_OverHttp(string kind, ErrorCode code)
    {
        var topic = await Host.CreateTopicAsync("fail-http");
        var fault = fixture.Faults.Fail(Host.Grains.GetGrain<ITopicGrain>(topic), nameof(ITopicGrain.PublishAsync), () => GatewayErrorsTests.Make(kind), times: 1);

        using var response = await Host.Http.PostAsJsonAsync($"v1/topics/{topic}/messages", new { messages = new[] { new { data = 1 } } });

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(1, fault.Failed);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("1", Assert.Single(response.Headers.GetValues("Retry-After")));
        using var problem = JsonDocument.Parse(body);
        Assert.Equal((int)code, problem.RootElement.GetProperty("code").GetInt32());
        Assert.Equal(code.ToString(), problem.RootElement.GetProperty("error").GetString());
        Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);

        // The retry the code invites succeeds.
        using var retry = await Host.Http.PostAsJsonAsync($"v1/topics/{topic}/messages", new { messages = new[] { new { data = 1 } } });
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
    }

    [Fact]
    public async Task Publish_ToAGrainThatDoesNotAnswer_IsATransientTimeoutWithinTheGatewayResponseTimeout_AndItsRetryIsStoredOnce()
    {
        // A grain on a frozen silo: the co-hosted gateway's call used to wait for the silo's 15 s response timeout,
        // past the SDK's 10 s try timeout, so the client gave a healthy gateway up. It answers within its 5 s now.
        var topic = await Host.CreateTopicAsync("hang");
        var thaw = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hold = fixture.Faults.Hang(Host.Grains.GetGrain<ITopicGrain>(topic), nameof(ITopicGrain.PublishAsync), thaw.Task);
        var batch = new { messages = new[] { new { id = "once", data = 1 } } };

        using (var response = await Host.Http.PostAsJsonAsync($"v1/topics/{topic}/messages", batch).WaitAsync(TimeSpan.FromSeconds(12)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal((int)ErrorCode.Timeout, problem.RootElement.GetProperty("code").GetInt32());
        }

        // The call that timed out goes on and lands once the grain answers; the retry with the same id is stored once.
        thaw.SetResult();
        using var retry = await Host.Http.PostAsJsonAsync($"v1/topics/{topic}/messages", batch);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        await Eventually.TrueAsync(() => hold.Completed == 2, "the timed-out publish to land too");
        Assert.Equal(1, (await Host.Grains.GetGrain<ITopicGrain>(topic).GetAsync()).LastSequence);
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Publish_WhenTheGrainCallFails_IsATypedTransientHubError(string kind, ErrorCode code)
    {
        var topic = await Host.CreateTopicAsync("fail-hub");
        var fault = fixture.Faults.Fail(Host.Grains.GetGrain<ITopicGrain>(topic), nameof(ITopicGrain.PublishAsync), () => GatewayErrorsTests.Make(kind), times: 1);
        await using var client = await HubTestClient.ConnectAsync(Host.Address);

        var error = await Assert.ThrowsAsync<HubException>(() => client.PublishNumbersAsync(topic, 1));

        Assert.Equal(1, fault.Failed);
        Assert.StartsWith($"{(int)code} {code}: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.Single(await client.PublishNumbersAsync(topic, 1));
    }
}
