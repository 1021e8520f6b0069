namespace ActorMessaging.Grains.Tests.Topics;

[Collection(ClusterCollection.Name)]
public sealed class TopicGrainTests(ClusterFixture fixture)
{
    private ITopicGrain Topic(string name) => fixture.Grains.GetGrain<ITopicGrain>(name);

    private async Task<ITopicGrain> NewTopicAsync(TopicSettings? settings = null)
    {
        var topic = Topic(ClusterFixture.NewName("t"));
        await topic.CreateAsync(settings ?? new TopicSettings());
        return topic;
    }

    [Fact]
    public async Task Create_IsIdempotent_WithSameSettings()
    {
        var name = ClusterFixture.NewName("orders");
        var first = await Topic(name).CreateAsync(new TopicSettings());
        var second = await Topic(name).CreateAsync(new TopicSettings());

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Topic.CreatedAt, second.Topic.CreatedAt);
    }

    [Fact]
    public async Task Create_WithOtherSettings_FailsWithConflictingSettings_AndKeepsTheOriginal()
    {
        var topic = await NewTopicAsync();

        var error = await Assert.ThrowsAsync<BrokerException>(() => topic.CreateAsync(new TopicSettings { MaxMessageBytes = 1000 }));

        Assert.Equal(ErrorCode.ConflictingSettings, error.Code);
        Assert.Equal(256 * 1024, (await topic.GetAsync()).Settings.MaxMessageBytes);
    }

    [Theory]
    [InlineData("-starts-with-dash")]
    [InlineData("has space")]
    [InlineData("has/slash")]
    [InlineData("ünïcode")]
    public async Task Create_WithInvalidName_FailsWithInvalidName(string name)
    {
        var error = await Assert.ThrowsAsync<BrokerException>(() => Topic(name).CreateAsync(new TopicSettings()));
        Assert.Equal(ErrorCode.InvalidName, error.Code);
    }

    [Fact]
    public async Task Create_WithTooLongName_FailsWithInvalidName()
    {
        var error = await Assert.ThrowsAsync<BrokerException>(() => Topic(new string('a', 201)).CreateAsync(new TopicSettings()));
        Assert.Equal(ErrorCode.InvalidName, error.Code);
    }

    public static TheoryData<TopicSettings> InvalidSettings() => new()
    {
        new TopicSettings { Retention = TimeSpan.FromSeconds(10) },
        new TopicSettings { Retention = TimeSpan.FromDays(365) },
        new TopicSettings { MaxMessageBytes = 0 },
        new TopicSettings { MaxMessageBytes = (1024 * 1024) + 1 },
        new TopicSettings { DedupWindow = TimeSpan.FromSeconds(-1) },
        new TopicSettings { DedupWindow = TimeSpan.FromDays(8) },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public async Task Create_WithSettingOutOfRange_FailsWithInvalidSetting_AndCreatesNothing(TopicSettings settings)
    {
        var topic = Topic(ClusterFixture.NewName("bad"));

        var error = await Assert.ThrowsAsync<BrokerException>(() => topic.CreateAsync(settings));

        Assert.Equal(ErrorCode.InvalidSetting, error.Code);
        var missing = await Assert.ThrowsAsync<BrokerException>(() => topic.GetAsync());
        Assert.Equal(ErrorCode.TopicNotFound, missing.Code);
    }

    [Fact]
    public async Task Get_UnknownTopic_FailsWithTopicNotFound_NamingIt()
    {
        var error = await Assert.ThrowsAsync<BrokerException>(() => Topic("never-created").GetAsync());

        Assert.Equal(ErrorCode.TopicNotFound, error.Code);
        Assert.Contains("'never-created'", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task Publish_ToUnknownTopic_FailsWithTopicNotFound()
    {
        var error = await Assert.ThrowsAsync<BrokerException>(() => Topic(ClusterFixture.NewName("none")).PublishAsync([TestMessages.Text("x")]));
        Assert.Equal(ErrorCode.TopicNotFound, error.Code);
    }

    [Fact]
    public async Task Publish_AssignsConsecutiveSequences_InBatchOrder_AndReadsThemBack()
    {
        var topic = await NewTopicAsync();

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
        var topic = await NewTopicAsync();
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
    public async Task Publish_SameMessageIdWithinWindow_IsDuplicate_WithOriginalSequence()
    {
        var topic = await NewTopicAsync();
        await topic.PublishAsync([TestMessages.Text("first", id: "order-1")]);

        var again = await topic.PublishAsync([TestMessages.Text("other", id: "x"), TestMessages.Text("retry", id: "order-1")]);

        Assert.Equal(new PublishOutcome(2, false), again.Outcomes[0]);
        Assert.Equal(new PublishOutcome(1, true), again.Outcomes[1]);
        var stored = (await topic.ReadAsync(1, 10)).Messages;
        Assert.Equal(["first", "other"], stored.Select(TestMessages.TextOf));
    }

    [Fact]
    public async Task Publish_DuplicateInsideOneBatch_IsStoredOnce()
    {
        var topic = await NewTopicAsync();

        var result = await topic.PublishAsync([TestMessages.Text("a", id: "same"), TestMessages.Text("b", id: "same")]);

        Assert.Equal([new PublishOutcome(1, false), new PublishOutcome(1, true)], result.Outcomes);
        Assert.Single((await topic.ReadAsync(1, 10)).Messages);
    }

    [Fact]
    public async Task Publish_SameMessageIdAfterWindow_IsStoredAgain()
    {
        var topic = await NewTopicAsync(new TopicSettings { DedupWindow = TimeSpan.FromMinutes(1) });
        await topic.PublishAsync([TestMessages.Text("first", id: "order-1")]);

        fixture.Time.Advance(TimeSpan.FromMinutes(2));
        var again = await topic.PublishAsync([TestMessages.Text("again", id: "order-1")]);

        Assert.Equal(new PublishOutcome(2, false), Assert.Single(again.Outcomes));
    }

    [Fact]
    public async Task Publish_DuplicateDetection_SurvivesDeactivation()
    {
        var topic = await NewTopicAsync();
        await topic.PublishAsync([TestMessages.Text("first", id: "order-1")]);

        await fixture.Cluster.DeactivateAsync(topic);
        var again = await topic.PublishAsync([TestMessages.Text("retry", id: "order-1")]);

        Assert.Equal(new PublishOutcome(1, true), Assert.Single(again.Outcomes));
    }

    [Fact]
    public async Task Publish_WithDedupWindowZero_StoresEveryCopy()
    {
        var topic = await NewTopicAsync(new TopicSettings { DedupWindow = TimeSpan.Zero });

        var result = await topic.PublishAsync([TestMessages.Text("a", id: "same"), TestMessages.Text("b", id: "same")]);

        Assert.Equal([1L, 2], result.Outcomes.Select(o => o.Sequence));
    }

    [Fact]
    public async Task Publish_MessageOverTopicLimit_FailsWithMessageTooLarge_AndStoresNothingOfTheBatch()
    {
        var topic = await NewTopicAsync(new TopicSettings { MaxMessageBytes = 1000 });

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
        var topic = await NewTopicAsync();

        var error = await Assert.ThrowsAsync<BrokerException>(() => topic.PublishAsync([TestMessages.Text("ok"), message]));

        Assert.Equal(expected, error.Code);
        Assert.Equal(0, (await topic.GetAsync()).LastSequence);
    }

    [Fact]
    public async Task Publish_EmptyOrOversizedBatch_IsRejected()
    {
        var topic = await NewTopicAsync();

        Assert.Equal(ErrorCode.InvalidArgument, (await Assert.ThrowsAsync<BrokerException>(() => topic.PublishAsync([]))).Code);
        Assert.Equal(ErrorCode.BatchTooLarge, (await Assert.ThrowsAsync<BrokerException>(() => topic.PublishAsync(TestMessages.Many(1001)))).Code);
    }

    [Fact]
    public async Task Publish_ConcurrentCallers_AreGroupCommitted_IntoFewerWritesThanCalls()
    {
        var topic = await NewTopicAsync();
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
        Assert.Equal(200, (await ReadAllAsync(topic)).Count);
    }

    [Fact]
    public async Task Publish_WhenTheLogWriteFails_FailsTransiently_AndTheNextPublishReusesTheSequence()
    {
        var topic = await NewTopicAsync();
        await topic.PublishAsync([TestMessages.Text("kept")]);

        fixture.LogStorage.FailNextWrite = new IOException("disk full");
        var error = await Assert.ThrowsAsync<BrokerException>(() => topic.PublishAsync([TestMessages.Text("lost")]));
        Assert.Equal(ErrorCode.StorageUnavailable, error.Code);
        Assert.True(error.IsTransient);

        var next = await Eventually.ValueAsync(
            async () => { try { return await topic.PublishAsync([TestMessages.Text("next")]); } catch (BrokerException e) when (e.IsTransient) { return null; } },
            result => result is not null, "the topic to reload after the failed write");
        Assert.Equal(2, next!.Outcomes.Single().Sequence);
        Assert.Equal(["kept", "next"], (await ReadAllAsync(topic)).Select(TestMessages.TextOf));
    }

    [Fact]
    public async Task Recovery_LeavesAChunkPastAGap_AndTheWriteThatMeetsItReloads_WhichRemovesItAsOrphaned()
    {
        var topic = await NewTopicAsync();
        var name = topic.GetPrimaryKeyString();
        await topic.PublishAsync([TestMessages.Text("one")]);

        // A pipelined write that landed while the one before it did not: chunk 2 exists, chunk 1 does not. Its first
        // sequence does not follow chunk 1 as it will be written, so once chunk 1 exists it is provably orphaned.
        var store = new ActorMessaging.Grains.Topics.LogChunkStore(fixture.LogStorage, name);
        await store.WriteAsync(0, 2, [new StoredMessage(50, fixture.Time.GetUtcNow(), null, new byte[] { 9 }, null, null, null)]);
        await fixture.Cluster.DeactivateAsync(topic);

        await topic.PublishAsync([TestMessages.Text("two")]);
        await PublishRetryingAsync(topic, TestMessages.Text("three"));

        var all = await ReadAllAsync(topic);
        Assert.Equal(["one", "two", "three"], all.Select(TestMessages.TextOf));
        Assert.Equal([1L, 2, 3], all.Select(m => m.Sequence));
    }

    [Fact]
    public async Task Recovery_IgnoresAChunkThatDoesNotContinueTheLog()
    {
        var topic = await NewTopicAsync();
        var name = topic.GetPrimaryKeyString();
        await topic.PublishAsync([TestMessages.Text("one")]);

        var store = new ActorMessaging.Grains.Topics.LogChunkStore(fixture.LogStorage, name);
        await store.WriteAsync(0, 1, [new StoredMessage(50, fixture.Time.GetUtcNow(), null, new byte[] { 9 }, null, null, null)]);
        await fixture.Cluster.DeactivateAsync(topic);

        Assert.Equal(2, (await topic.PublishAsync([TestMessages.Text("two")])).Outcomes.Single().Sequence);
        Assert.Equal(["one", "two"], (await ReadAllAsync(topic)).Select(TestMessages.TextOf));
    }

    [Fact]
    public async Task Log_SurvivesDeactivation_AndSequencesContinue()
    {
        var topic = await NewTopicAsync();
        for (var i = 0; i < 5; i++)
        {
            await topic.PublishAsync(TestMessages.Many(3, $"b{i}-"));
        }

        await fixture.Cluster.DeactivateAsync(topic);
        var after = await topic.PublishAsync([TestMessages.Text("after")]);

        Assert.Equal(16, after.Outcomes.Single().Sequence);
        var all = await ReadAllAsync(topic);
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (long)i), all.Select(m => m.Sequence));
    }

    [Fact]
    public async Task Read_FromTheMiddle_AfterReactivation_FindsTheRightChunk()
    {
        var topic = await NewTopicAsync();
        for (var i = 0; i < 20; i++)
        {
            await topic.PublishAsync(TestMessages.Many(5, $"c{i}-"));
        }

        await fixture.Cluster.DeactivateAsync(topic);
        var read = await topic.ReadAsync(43, 4);

        Assert.Equal([43L, 44, 45, 46], read.Messages.Select(m => m.Sequence));
        Assert.Equal(["c8-2", "c8-3", "c8-4", "c9-0"], read.Messages.Select(TestMessages.TextOf));
        Assert.Equal(47, read.NextSequence);
    }

    [Fact]
    public async Task Retention_DeletesChunksOlderThanTheTopicKeepsThem_AndReadsSkipToWhatIsLeft()
    {
        var topic = await NewTopicAsync(new TopicSettings { Retention = TimeSpan.FromMinutes(1) });
        await topic.PublishAsync(TestMessages.Many(3, "old"));
        await topic.PublishAsync(TestMessages.Many(2, "older"));

        fixture.Time.Advance(TimeSpan.FromMinutes(2));
        await topic.PublishAsync([TestMessages.Text("fresh")]);

        var position = await Eventually.ValueAsync(topic.GetPositionAsync, p => p.FirstSequence == 6, "expired chunks to be deleted");
        Assert.Equal(7, position.NextSequence);
        var read = await topic.ReadAsync(1, 10);
        Assert.Equal(["fresh"], read.Messages.Select(TestMessages.TextOf));
        Assert.Equal(6, (await topic.GetAsync()).LastSequence);

        await fixture.Cluster.DeactivateAsync(topic);
        Assert.Equal(new TopicPosition(6, 7), await topic.GetPositionAsync());
        Assert.Equal(7, (await topic.PublishAsync([TestMessages.Text("after reload")])).Outcomes.Single().Sequence);
    }

    [Fact]
    public async Task Retention_SubscriptionBehindTheLog_SkipsWhatRetentionRemoved()
    {
        var topic = await NewTopicAsync(new TopicSettings { Retention = TimeSpan.FromMinutes(1) });
        var subscription = fixture.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(topic.GetPrimaryKeyString(), "slow"));
        await subscription.CreateAsync(new SubscriptionSettings { StartAt = StartPosition.Earliest });
        await topic.PublishAsync(TestMessages.Many(3, "expired"));

        fixture.Time.Advance(TimeSpan.FromMinutes(2));
        await topic.PublishAsync([TestMessages.Text("kept")]);
        await Eventually.ValueAsync(topic.GetPositionAsync, p => p.FirstSequence == 4, "expired chunks to be deleted");

        var deliveries = await subscription.PullAsync(10, TimeSpan.Zero);
        Assert.Equal(["kept"], deliveries.Select(d => TestMessages.TextOf(d.Message)));
        await subscription.AckAsync([deliveries[0].AckId]);
        Assert.Equal(0, (await subscription.GetStatsAsync()).Backlog);
    }

    [Fact]
    public async Task Update_ChangesSettings_AndRejectsInvalidOnes()
    {
        var topic = await NewTopicAsync();

        var updated = await topic.UpdateAsync(new TopicSettings { MaxMessageBytes = 10 });
        Assert.Equal(10, updated.Settings.MaxMessageBytes);
        Assert.Equal(ErrorCode.MessageTooLarge, (await Assert.ThrowsAsync<BrokerException>(() => topic.PublishAsync([TestMessages.Text("longer than ten")]))).Code);

        var error = await Assert.ThrowsAsync<BrokerException>(() => topic.UpdateAsync(new TopicSettings { MaxMessageBytes = -1 }));
        Assert.Equal(ErrorCode.InvalidSetting, error.Code);
        Assert.Equal(10, (await topic.GetAsync()).Settings.MaxMessageBytes);
    }

    [Fact]
    public async Task Delete_RemovesTopicSubscriptionsAndLog_AndARecreatedTopicStartsEmpty()
    {
        var topic = await NewTopicAsync();
        var name = topic.GetPrimaryKeyString();
        var subscription = fixture.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(name, "s1"));
        await subscription.CreateAsync(new SubscriptionSettings());
        await topic.PublishAsync(TestMessages.Many(3));

        await topic.DeleteAsync();

        Assert.Equal(ErrorCode.TopicNotFound, (await Assert.ThrowsAsync<BrokerException>(() => topic.GetAsync())).Code);
        Assert.Equal(ErrorCode.SubscriptionNotFound, (await Assert.ThrowsAsync<BrokerException>(() => subscription.GetAsync())).Code);
        Assert.DoesNotContain(name, (await fixture.Grains.ListTopicsAsync(name, 10, null)).Names);

        await topic.CreateAsync(new TopicSettings());
        Assert.Equal(0, (await topic.GetAsync()).LastSequence);
        Assert.Empty((await topic.ReadAsync(1, 10)).Messages);
        Assert.Equal(1, (await topic.PublishAsync([TestMessages.Text("new")])).Outcomes.Single().Sequence);
        Assert.Equal(0, (await topic.GetAsync()).SubscriptionCount);
    }

    [Fact]
    public async Task ListTopics_FiltersByPrefix_AndPagesInOrder()
    {
        var prefix = ClusterFixture.NewName("list") + ".";
        var names = Enumerable.Range(0, 25).Select(i => $"{prefix}{i:D2}").ToList();
        await Task.WhenAll(names.Select(n => Topic(n).CreateAsync(new TopicSettings())));
        await Topic(ClusterFixture.NewName("other")).CreateAsync(new TopicSettings());

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await fixture.Grains.ListTopicsAsync(prefix, 10, token);
            seen.AddRange(page.Names);
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(names, seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task ListTopics_WithBadPageSizeOrToken_FailsWithInvalidArgument()
    {
        Assert.Equal(ErrorCode.InvalidArgument, (await Assert.ThrowsAsync<BrokerException>(() => fixture.Grains.ListTopicsAsync(null, 0, null))).Code);
        Assert.Equal(ErrorCode.InvalidArgument, (await Assert.ThrowsAsync<BrokerException>(() => fixture.Grains.ListTopicsAsync(null, 10, "!!not-base64!!"))).Code);
    }

    private static Task<PublishResult?> PublishRetryingAsync(ITopicGrain topic, OutgoingMessage message) =>
        Eventually.ValueAsync(
            async () => { try { return await topic.PublishAsync([message]); } catch (BrokerException e) when (e.IsTransient) { return null; } },
            result => result is not null, "the publish to succeed once the topic reloaded");

    private static async Task<List<StoredMessage>> ReadAllAsync(ITopicGrain topic)
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
}
