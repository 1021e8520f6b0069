using ActorMessaging.Contracts;

namespace ActorMessaging.Client.Tests;

[Collection(PlatformCollection.Name)]
public sealed class AdministrationTests(PlatformFixture platform)
{
    private Uri Endpoint => platform.Host.Address;

    [Fact]
    public async Task Topics_CreateGetListUpdateDelete()
    {
        var prefix = platform.NewName("admin");
        using var admin = TestClients.Admin(Endpoint);
        var created = await admin.CreateOrUpdateTopicAsync($"{prefix}.a", new TopicConfiguration { RetentionSeconds = 3600 });
        Assert.Equal(3600, created.Settings.RetentionSeconds);
        await admin.CreateOrUpdateTopicAsync($"{prefix}.b");
        Assert.Equal([$"{prefix}.a", $"{prefix}.b"], await admin.GetTopicsAsync(prefix).ToListAsync());

        var updated = await admin.CreateOrUpdateTopicAsync($"{prefix}.a", new TopicConfiguration { RetentionSeconds = 7200 });
        Assert.Equal(7200, updated.Settings.RetentionSeconds);
        Assert.True(await admin.TopicExistsAsync($"{prefix}.a"));

        await admin.DeleteTopicAsync($"{prefix}.a");
        Assert.False(await admin.TopicExistsAsync($"{prefix}.a"));
        var error = await Assert.ThrowsAsync<ActorMessagingException>(() => admin.GetTopicAsync($"{prefix}.a"));
        Assert.Equal(ErrorCode.TopicNotFound, error.Code);
        Assert.Contains($"{prefix}.a", error.Message, StringComparison.Ordinal);

        var invalid = await Assert.ThrowsAsync<ActorMessagingException>(() => admin.CreateOrUpdateTopicAsync($"{prefix}.c", new TopicConfiguration { RetentionSeconds = 1 }));
        Assert.Equal(ErrorCode.InvalidSetting, invalid.Code);
        Assert.Equal(ErrorCode.InvalidName, (await Assert.ThrowsAsync<ActorMessagingException>(() => admin.GetTopicAsync("bad name"))).Code);
    }

    [Fact]
    public async Task Topic_WithItsSubscriptions_InOneCall()
    {
        var topic = platform.NewName("admin-bulk");
        using var admin = TestClients.Admin(Endpoint);
        var settings = new TopicConfiguration
        {
            Subscriptions = new Dictionary<string, SubscriptionConfiguration> { ["audit"] = new() { StartAt = "earliest" }, ["billing"] = new() },
        };

        var created = await admin.CreateOrUpdateTopicAsync(topic, settings);
        var again = await admin.CreateOrUpdateTopicAsync(topic, settings);

        Assert.Equal((2, 2), (created.SubscriptionCount, again.SubscriptionCount));
        Assert.Equal("earliest", (await admin.GetSubscriptionAsync(topic, "audit")).Settings.StartAt);
        var invalid = await Assert.ThrowsAsync<ActorMessagingException>(() => admin.CreateOrUpdateTopicAsync(
            platform.NewName("admin-bulk"), new TopicConfiguration { Subscriptions = new Dictionary<string, SubscriptionConfiguration> { ["bad name"] = new() } }));
        Assert.Equal(ErrorCode.InvalidName, invalid.Code);
    }

    [Fact]
    public async Task Subscriptions_StatsAndDeadLetters()
    {
        var topic = platform.NewName("admin-subs");
        using var admin = TestClients.Admin(Endpoint);
        await admin.CreateOrUpdateTopicAsync(topic);
        var subscription = await admin.CreateOrUpdateSubscriptionAsync(topic, "s", new SubscriptionConfiguration { StartAt = "earliest", MaxDeliveryAttempts = 1 });
        Assert.Equal(1, subscription.Settings.MaxDeliveryAttempts);
        await admin.CreateOrUpdateSubscriptionAsync(topic, "t");
        Assert.Equal(["s", "t"], (await admin.GetSubscriptionsAsync(topic)).Select(s => s.Name));

        await using var client = TestClients.Client(Endpoint);
        await using var publisher = client.CreatePublisher(topic);
        await publisher.PublishBatchAsync(Enumerable.Range(0, 3).Select(i => new ActorMessage(BinaryData.FromString($"m{i}"))));
        var stats = await admin.GetSubscriptionStatisticsAsync(topic, "s");
        Assert.Equal(3, stats.Backlog);

        // One attempt allowed: a nack dead-letters.
        var receiver = client.CreateReceiver(topic, "s");
        var messages = await receiver.ReceiveAsync(maxMessages: 3, maxWait: TimeSpan.FromSeconds(5));
        Assert.Empty(await receiver.NackAsync(messages));
        await Eventually.TrueAsync(async () => (await admin.GetSubscriptionStatisticsAsync(topic, "s")).DeadLettered == 3, "3 dead letters");
        var letters = await admin.GetDeadLettersAsync(topic, "s").ToListAsync();
        Assert.Equal([1L, 2L, 3L], letters.Select(l => l.Sequence));

        Assert.Equal(1, await admin.ResubmitDeadLettersAsync(topic, "s", [2]));
        Assert.Equal(2, await admin.PurgeDeadLettersAsync(topic, "s"));
        var resubmitted = Assert.Single(await receiver.ReceiveAsync(maxMessages: 3, maxWait: TimeSpan.FromSeconds(5)));
        Assert.Equal(2, resubmitted.Sequence);

        await admin.DeleteSubscriptionAsync(topic, "t");
        Assert.Equal(ErrorCode.SubscriptionNotFound, (await Assert.ThrowsAsync<ActorMessagingException>(() => admin.GetSubscriptionAsync(topic, "t"))).Code);
    }
}
