namespace ActorMessaging.Grains.Tests.Topics;

/// <summary>Publishing: sequences, what is stored, the checks on each message and batch, group commit, and a failed log write.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TopicGrainPublishTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Publish_ToUnknownTopic_FailsWithTopicNotFound()
    {
        var error = await Assert.ThrowsAsync<BrokerException>(() => fixture.Grains.GetGrain<ITopicGrain>(ClusterFixture.NewName("none")).PublishAsync([TestMessages.Text("x")]));
        Assert.Equal(ErrorCode.TopicNotFound, error.Code);
    }

    [Fact]
    public async Task Publish_AssignsConsecutiveSequences_InBatchOrder_AndReadsThemBack()
    {
        var topic = await fixture.NewTopicAsync();

        var first = await topic.PublishAsync(TestMessages.Many(3, "a"));
        var second = await topic.PublishAsync(TestMessages.Many(2, "b"));

        Assert.Equal([1L, 2, 3], first.Outcomes.Select(o => o.Sequence));
        Assert.Equal([4L, 5], second.Outcomes.Select(o => o.Sequence));
        Assert.All(first.Outcomes.Concat(second.Outcomes), o => Assert.False(o.Duplicate));

        var read = await topic.ReadAsync(1, 100);
        Assert.Equal(["a0", "a1", "a2", "b0", "b1"], read.Messages.Select(TestMessages.TextOf));
        Assert.Equal([1L, 2, 3, 4, 5], read.Messages.Select(m => m.Sequence));
        Assert.Equal(6, read.NextSequence);
        Assert.Equal(5, (await topic.GetAsync()).LastSequence);
        Assert.All(read.Messages, m => Assert.Equal(fixture.Time.GetUtcNow(), m.PublishedAt));
    }

    [Fact]
    public async Task Publish_KeepsIdContentTypeAttributesAndOrderingKey()
    {
        var topic = await fixture.NewTopicAsync();
        var attributes = new Dictionary<string, string> { ["kind"] = "created", ["region"] = "eu" };

        await topic.PublishAsync([new OutgoingMessage("id-1", new byte[] { 1, 2, 3 }, "application/octet-stream", attributes, "customer-7")]);

        var stored = Assert.Single((await topic.ReadAsync(1, 10)).Messages);
        Assert.Equal("id-1", stored.MessageId);
        Assert.Equal(new byte[] { 1, 2, 3 }, stored.Data.ToArray());
        Assert.Equal("application/octet-stream", stored.ContentType);
        Assert.Equal(attributes, stored.Attributes);
        Assert.Equal("customer-7", stored.OrderingKey);
    }

    [Fact]
    public async Task Publish_MessageOverTopicLimit_FailsWithMessageTooLarge_AndStoresNothingOfTheBatch()
    {
        var topic = await fixture.NewTopicAsync(new TopicSettings { MaxMessageBytes = 1000 });

        var error = await Assert.ThrowsAsync<BrokerException>(() =>
            topic.PublishAsync([TestMessages.Text("fine"), new OutgoingMessage(null, new byte[1001])]));

        Assert.Equal(ErrorCode.MessageTooLarge, error.Code);
        Assert.Contains("Message 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await topic.GetAsync()).LastSequence);
    }

    public static TheoryData<OutgoingMessage, ErrorCode> InvalidMessages() => new()
    {
        { new OutgoingMessage("", new byte[1]), ErrorCode.InvalidMessage },
        { new OutgoingMessage(new string('i', 129), new byte[1]), ErrorCode.InvalidMessage },
        { new OutgoingMessage("bad\nid", new byte[1]), ErrorCode.InvalidMessage },
        { new OutgoingMessage(null, new byte[1], OrderingKey: ""), ErrorCode.InvalidMessage },
        { new OutgoingMessage(null, new byte[1], ContentType: new string('c', 257)), ErrorCode.InvalidMessage },
        { new OutgoingMessage(null, new byte[1], Attributes: Enumerable.Range(0, 101).ToDictionary(i => $"k{i}", i => "v")), ErrorCode.AttributesTooLarge },
        { new OutgoingMessage(null, new byte[1], Attributes: new Dictionary<string, string> { [new string('k', 257)] = "v" }), ErrorCode.AttributesTooLarge },
        { new OutgoingMessage(null, new byte[1], Attributes: new Dictionary<string, string> { ["k"] = new string('v', 1025) }), ErrorCode.AttributesTooLarge },
    };

    [Theory]
    [MemberData(nameof(InvalidMessages))]
    public async Task Publish_InvalidMessage_FailsWithItsCode_AndStoresNothing(OutgoingMessage message, ErrorCode expected)
    {
        var topic = await fixture.NewTopicAsync();

        var error = await Assert.ThrowsAsync<BrokerException>(() => topic.PublishAsync([TestMessages.Text("ok"), message]));

        Assert.Equal(expected, error.Code);
        Assert.Equal(0, (await topic.GetAsync()).LastSequence);
    }

    [Fact]
    public async Task Publish_EmptyOrOversizedBatch_IsRejected()
    {
        var topic = await fixture.NewTopicAsync();

        Assert.Equal(ErrorCode.InvalidArgument, (await Assert.ThrowsAsync<BrokerException>(() => topic.PublishAsync([]))).Code);
        Assert.Equal(ErrorCode.BatchTooLarge, (await Assert.ThrowsAsync<BrokerException>(() => topic.PublishAsync(TestMessages.Many(1001)))).Code);
    }

    [Fact]
    public async Task Publish_ConcurrentCallers_AreGroupCommitted_IntoFewerWritesThanCalls()
    {
        var topic = await fixture.NewTopicAsync();
        var writesBefore = fixture.LogStorage.Writes;
        fixture.LogStorage.WriteLatency = TimeSpan.FromMilliseconds(50);
        PublishResult[] results;
        try
        {
            results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => topic.PublishAsync([TestMessages.Text($"m{i}")])));
        }
        finally
        {
            fixture.LogStorage.WriteLatency = TimeSpan.Zero;
        }

        var sequences = results.Select(r => r.Outcomes.Single().Sequence).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), sequences);
        var writes = fixture.LogStorage.Writes - writesBefore;
        Assert.InRange(writes, 1, 100);
        Assert.Equal(200, (await topic.ReadAllAsync()).Count);
    }

    [Fact]
    public async Task Publish_WhenTheLogWriteFails_FailsTransiently_AndTheNextPublishReusesTheSequence()
    {
        var topic = await fixture.NewTopicAsync();
        await topic.PublishAsync([TestMessages.Text("kept")]);

        fixture.LogStorage.FailNextWrite = new IOException("disk full");
        var error = await Assert.ThrowsAsync<BrokerException>(() => topic.PublishAsync([TestMessages.Text("lost")]));
        Assert.Equal(ErrorCode.StorageUnavailable, error.Code);
        Assert.True(error.IsTransient);

        var next = await Eventually.ValueAsync(
            async () => { try { return await topic.PublishAsync([TestMessages.Text("next")]); } catch (BrokerException e) when (e.IsTransient) { return null; } },
            result => result is not null, "the topic to reload after the failed write");
        Assert.Equal(2, next!.Outcomes.Single().Sequence);
        Assert.Equal(["kept", "next"], (await topic.ReadAllAsync()).Select(TestMessages.TextOf));
    }
}
