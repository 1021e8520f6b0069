namespace ActorMessaging.Grains.Tests.Topics;

/// <summary>Retention on the embedded store, counting the log's rows in the database file itself.</summary>
public sealed class TopicGrainSqliteRetentionTests(SqliteClusterFixture cluster) : IClassFixture<SqliteClusterFixture>
{
    [Fact]
    public async Task RetainAckedFalse_KeepsTheLogsRowsBounded_WhilePublishingAndAckingFarMore()
    {
        const int Rounds = 150;
        const int Bound = 48;
        var name = ClusterFixture.NewName("sqlite-ret");
        var topic = cluster.Grains.GetGrain<ITopicGrain>(name);
        await topic.CreateAsync(new TopicSettings { RetainAckedMessages = false });
        var subscription = cluster.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(name, "s"));
        await subscription.CreateAsync(new SubscriptionSettings { StartAt = StartPosition.Earliest });
        var received = 0;
        for (var round = 0; round < Rounds; round++)
        {
            await topic.PublishAsync(TestMessages.Many(10, $"r{round}-"));
            received += (await Pulls.DrainAsync(subscription)).Length;
            cluster.Time.Advance(TimeSpan.FromSeconds(1));
            await Eventually.TrueAsync(() => cluster.CountChunkRows(name) <= Bound, $"at most {Bound} chunk rows in round {round}");
        }

        Assert.Equal(Rounds * 10, received);
        Assert.InRange(cluster.CountChunkRows(name), 0, Bound);
    }
}
