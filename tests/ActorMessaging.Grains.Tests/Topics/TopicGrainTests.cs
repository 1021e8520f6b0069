namespace ActorMessaging.Grains.Tests.Topics;

/// <summary>Creating, reading, updating and deleting a topic: names, settings and what a delete removes.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TopicGrainTests(ClusterFixture fixture)
{
    private ITopicGrain Topic(string name) => fixture.Grains.GetGrain<ITopicGrain>(name);

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
        var topic = await fixture.NewTopicAsync();

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
    public async Task Update_ChangesSettings_AndRejectsInvalidOnes()
    {
        var topic = await fixture.NewTopicAsync();

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
        var topic = await fixture.NewTopicAsync();
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
}
