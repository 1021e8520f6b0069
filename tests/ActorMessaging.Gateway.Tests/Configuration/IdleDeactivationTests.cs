using ActorMessaging.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace ActorMessaging.Gateway.Tests;

/// <summary><c>ActorMessaging:Cluster:IdleTimeout</c>: idle topic and subscription grains leave memory, and come back on the next call.</summary>
public sealed class IdleDeactivationTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task IdleTopicAndSubscription_AreDeactivated_AndTheNextPublishActivatesThemAgain()
    {
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["ActorMessaging:Cluster:IdleTimeout"] = "00:00:02" });
        var name = $"idle-{Guid.NewGuid():N}";
        var topic = host.Grains.GetGrain<ITopicGrain>(name);
        var subscription = host.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(name, "audit"));
        await topic.CreateAsync(new TopicSettings());
        await subscription.CreateAsync(new SubscriptionSettings { StartAt = StartPosition.Earliest });
        Assert.Equal(1, (await topic.PublishAsync([new OutgoingMessage("first", "1"u8.ToArray())])).Outcomes[0].Sequence);
        var management = host.Grains.GetGrain<IManagementGrain>(0);

        GrainId[] idle = [topic.GetGrainId(), subscription.GetGrainId()];

        // The activations themselves, not the grain locator's cache (which may still name a silo after deactivation).
        await Eventually.TrueAsync(
            async () => !(await management.GetDetailedGrainStatistics()).Any(a => idle.Contains(a.GrainId)),
            "the idle topic and subscription to be deactivated",
            Deadline);

        Assert.Equal(2, (await topic.PublishAsync([new OutgoingMessage("second", "2"u8.ToArray())])).Outcomes[0].Sequence);
        var delivered = await Eventually.ValueAsync(() => subscription.PullAsync(10, TimeSpan.FromSeconds(1)), d => d.Count == 2, "both messages", Deadline);
        Assert.Equal(["first", "second"], delivered.Select(d => d.Message.MessageId));
    }

    [Fact]
    public async Task GrainDirectoryCache_IsBounded_SoGrainsThatWentIdleDoNotStayCached()
    {
        await using var host = await GatewayHost.StartAsync();
        var options = host.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value;

        // Orleans' default keeps a million addresses; a silo that once held a million topics kept them all.
        Assert.Equal(100_000, options.CacheSize);
    }

    [Theory]
    [InlineData(0, 0, false)]
    [InlineData(800, 0, false)] // fewer than 1,000 went: not worth a full collection
    [InlineData(4000, 3001, false)]
    [InlineData(4000, 3000, true)] // 1,000 (a quarter) went
    [InlineData(100_000, 80_000, false)] // 20,000 went, less than a quarter
    [InlineData(100_000, 75_000, true)]
    public void IdleMemory_IsReleased_OnlyAfterManyActivationsWent(int peak, int current, bool released) =>
        Assert.Equal(released, ActorMessaging.Hosting.IdleMemoryRelease.ShouldRelease(peak, current));
}
