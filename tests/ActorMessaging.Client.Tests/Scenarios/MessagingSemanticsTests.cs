using System.Globalization;
using ActorMessaging.Contracts;

namespace ActorMessaging.Client.Tests;

/// <summary>
/// Issue 5's messaging semantics through the SDK: ordering keys, scheduled delivery and time to live on publish;
/// filters, start positions and dead-letter settings on subscriptions; seek.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class MessagingSemanticsTests(PlatformFixture platform)
{
    private Uri Endpoint => platform.Host.Address;

    private static ActorMessage Text(string text, string? color = null)
    {
        var message = new ActorMessage(BinaryData.FromString(text)) { Id = text };
        if (color is not null)
        {
            message.Attributes["color"] = color;
        }

        return message;
    }

    [Fact]
    public async Task Publish_WithOrderingKey_DeliverAt_AndTimeToLive_CarriesThemToTheSubscription()
    {
        var topic = platform.NewName("sdk-semantics");
        await TestClients.CreateAsync(Endpoint, topic, "s");
        await using var client = TestClients.Client(Endpoint);
        await using var publisher = client.CreatePublisher(topic);
        var later = Text("later");
        later.DeliverAt = DateTimeOffset.UtcNow.AddHours(1);
        var keyed = Text("keyed");
        keyed.OrderingKey = "customer-7";
        keyed.TimeToLive = TimeSpan.FromHours(2);

        await publisher.PublishBatchAsync([later, keyed]);
        var received = await client.CreateReceiver(topic, "s").ReceiveAsync(maxMessages: 10, maxWait: TimeSpan.FromSeconds(5));

        // The scheduled one is an hour away; the other carries its key and its expiry.
        var message = Assert.Single(received);
        Assert.Equal(("keyed", "customer-7"), (message.Id, message.OrderingKey));
        Assert.Null(message.DeliverAt);
        Assert.Equal(message.PublishedAt + TimeSpan.FromHours(2), message.ExpiresAt!.Value, TimeSpan.FromSeconds(1));
        using var admin = TestClients.Admin(Endpoint);
        Assert.Equal(2, (await admin.GetTopicAsync(topic)).LastSequence);
    }

    [Fact]
    public async Task Subscription_WithFilter_StartAtSequence_AndDeadLetterSettings_TakesThemAll()
    {
        var topic = platform.NewName("sdk-semantics");
        var deadLetters = platform.NewName("sdk-semantics-dlq");
        using var admin = TestClients.Admin(Endpoint);
        await admin.CreateOrUpdateTopicAsync(topic);
        await admin.CreateOrUpdateTopicAsync(deadLetters);
        await using var client = TestClients.Client(Endpoint);
        await using var publisher = client.CreatePublisher(topic);
        await publisher.PublishBatchAsync([Text("m1", "red"), Text("m2", "blue"), Text("m3", "red"), Text("m4", "red")]);

        var created = await admin.CreateOrUpdateSubscriptionAsync(topic, "reds", new SubscriptionConfiguration
        {
            StartAt = "2",
            Filter = "color = 'red'",
            DeadLetterExpired = true,
            DeadLetterTopic = deadLetters,
        });
        var received = await client.CreateReceiver(topic, "reds").ReceiveAsync(maxMessages: 10, maxWait: TimeSpan.FromSeconds(5));

        Assert.Equal(("2", "color = 'red'", true, deadLetters), (created.Settings.StartAt, created.Settings.Filter, created.Settings.DeadLetterExpired, created.Settings.DeadLetterTopic));
        Assert.Equal(["m3", "m4"], received.Select(m => m.Id));
        var invalid = await Assert.ThrowsAsync<ActorMessagingException>(() => admin.CreateOrUpdateSubscriptionAsync(topic, "bad", new SubscriptionConfiguration { Filter = "color = " }));
        Assert.Equal(ErrorCode.InvalidFilter, invalid.Code);
        Assert.Contains("position", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscription_StartAtTime_StartsAtTheFirstMessagePublishedThen()
    {
        var topic = platform.NewName("sdk-semantics");
        using var admin = TestClients.Admin(Endpoint);
        await admin.CreateOrUpdateTopicAsync(topic);
        await using var client = TestClients.Client(Endpoint);
        await using var publisher = client.CreatePublisher(topic);
        await publisher.PublishBatchAsync([Text("m1"), Text("m2")]);

        await admin.CreateOrUpdateSubscriptionAsync(topic, "s", new SubscriptionConfiguration { StartAt = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O", CultureInfo.InvariantCulture) });
        var received = await client.CreateReceiver(topic, "s").ReceiveAsync(maxMessages: 10, maxWait: TimeSpan.FromSeconds(5));

        Assert.Equal(["m1", "m2"], received.Select(m => m.Id));
    }

    [Fact]
    public async Task SeekSubscription_ToASequence_RedeliversFromThere_AndToATime_ReplaysEverythingSince()
    {
        var topic = platform.NewName("sdk-seek");
        await TestClients.CreateAsync(Endpoint, topic, "s");
        await using var client = TestClients.Client(Endpoint);
        await using var publisher = client.CreatePublisher(topic);
        await publisher.PublishBatchAsync([Text("m1"), Text("m2"), Text("m3")]);
        var receiver = client.CreateReceiver(topic, "s");
        Assert.Empty(await receiver.AckAsync(await receiver.ReceiveAsync(maxMessages: 3, maxWait: TimeSpan.FromSeconds(5))));
        using var admin = TestClients.Admin(Endpoint);

        var toSequence = await admin.SeekSubscriptionAsync(topic, "s", 3);
        var fromThree = await receiver.ReceiveAsync(maxMessages: 10, maxWait: TimeSpan.FromSeconds(5));
        var toTime = await admin.SeekSubscriptionAsync(topic, "s", DateTimeOffset.UtcNow.AddMinutes(-5));
        var everything = await receiver.ReceiveAsync(maxMessages: 10, maxWait: TimeSpan.FromSeconds(5));

        Assert.Equal(1, toSequence.Stats.Backlog);
        Assert.Equal(["m3"], fromThree.Select(m => m.Id));
        Assert.Equal(3, toTime.Stats.Backlog);
        Assert.Equal(["m1", "m2", "m3"], everything.Select(m => m.Id));

        // The lease on m3 from before the last seek ended with it.
        var stale = Assert.Single(await receiver.AckAsync(fromThree));
        Assert.Equal(fromThree[0].AckId, stale.AckId);
    }

    [Fact]
    public async Task SeekSubscription_OutsideRetention_IsInvalidArgument_AndUnknownSubscription_IsNotFound()
    {
        var topic = platform.NewName("sdk-seek");
        await TestClients.CreateAsync(Endpoint, topic, "s");
        using var admin = TestClients.Admin(Endpoint);

        var sequence = await Assert.ThrowsAsync<ActorMessagingException>(() => admin.SeekSubscriptionAsync(topic, "s", 99));
        var time = await Assert.ThrowsAsync<ActorMessagingException>(() => admin.SeekSubscriptionAsync(topic, "s", new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        var missing = await Assert.ThrowsAsync<ActorMessagingException>(() => admin.SeekSubscriptionAsync(topic, "nope", 1));

        Assert.Equal(ErrorCode.InvalidArgument, sequence.Code);
        Assert.Contains("Sequence 99 is not retained", sequence.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCode.InvalidArgument, time.Code);
        Assert.Equal(ErrorCode.SubscriptionNotFound, missing.Code);
        Assert.Equal(ErrorCode.InvalidName, (await Assert.ThrowsAsync<ActorMessagingException>(() => admin.SeekSubscriptionAsync(topic, "bad name", 1))).Code);
    }
}
