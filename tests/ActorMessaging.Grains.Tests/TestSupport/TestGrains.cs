namespace ActorMessaging.Grains.Tests;

/// <summary>
/// The steps the topic and subscription tests share: fresh grains under new names, so tests sharing the cluster do not
/// see each other, and reading a whole log back.
/// </summary>
internal static class TestGrains
{
    /// <summary>A new topic with <paramref name="settings"/> (the defaults when null).</summary>
    public static async Task<ITopicGrain> NewTopicAsync(this ClusterFixture fixture, TopicSettings? settings = null)
    {
        var topic = fixture.Grains.GetGrain<ITopicGrain>(ClusterFixture.NewName("t"));
        await topic.CreateAsync(settings ?? new TopicSettings());
        return topic;
    }

    /// <summary>
    /// A new topic with default settings and one subscription on it, <c>sub</c>, with <paramref name="settings"/>;
    /// <paramref name="publishedBefore"/> messages (<c>before0</c>, …) are published before the subscription exists.
    /// </summary>
    public static async Task<(ITopicGrain Topic, ISubscriptionGrain Subscription)> NewSubscriptionAsync(
        this ClusterFixture fixture, SubscriptionSettings? settings = null, int publishedBefore = 0)
    {
        var topic = await fixture.NewTopicAsync();
        if (publishedBefore > 0)
        {
            await topic.PublishAsync(TestMessages.Many(publishedBefore, "before"));
        }

        var subscription = fixture.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(topic.GetPrimaryKeyString(), "sub"));
        await subscription.CreateAsync(settings ?? new SubscriptionSettings());
        return (topic, subscription);
    }

    /// <summary>
    /// A subscription that ticks every second (and no timer of it more often) while the test runs: it holds a lease for
    /// 10 minutes of broker time. The clock for <see cref="GrainTimers.RunForAsync"/>.
    /// </summary>
    public static async Task<GrainId> TickingSubscriptionAsync(this ClusterFixture fixture)
    {
        var (topic, subscription) = await fixture.NewSubscriptionAsync(new SubscriptionSettings { AckDeadline = SubscriptionSettings.MaxAckDeadline });
        await topic.PublishAsync([TestMessages.Text("held")]);
        await subscription.PullUntilAsync(1);
        return subscription.GetGrainId();
    }

    /// <summary>Pulls until <paramref name="count"/> deliveries have come, failing at <see cref="Eventually"/>'s deadline.</summary>
    public static async Task<List<Delivery>> PullUntilAsync(this ISubscriptionGrain subscription, int count)
    {
        var deliveries = new List<Delivery>();
        await Eventually.TrueAsync(async () =>
        {
            deliveries.AddRange(await subscription.PullAsync(count - deliveries.Count, TimeSpan.Zero));
            return deliveries.Count == count;
        }, $"{count} deliveries");
        return deliveries;
    }

    /// <summary>Every message the topic holds, read from sequence 1 in pages until a read comes back empty.</summary>
    public static async Task<List<StoredMessage>> ReadAllAsync(this ITopicGrain topic)
    {
        var all = new List<StoredMessage>();
        var next = 1L;
        while (true)
        {
            var read = await topic.ReadAsync(next, 1000);
            if (read.Messages.Count == 0)
            {
                return all;
            }

            all.AddRange(read.Messages);
            next = read.NextSequence;
        }
    }

    /// <summary>Publishes <paramref name="message"/>, trying again while the topic fails transiently (it is reloading).</summary>
    public static async Task<PublishResult> PublishRetryingAsync(this ITopicGrain topic, OutgoingMessage message) =>
        (await Eventually.ValueAsync(
            async () => { try { return await topic.PublishAsync([message]); } catch (BrokerException e) when (e.IsTransient) { return null; } },
            result => result is not null, "the publish to succeed once the topic reloaded"))!;
}
