using ActorMessaging.Contracts;

namespace ActorMessaging.Client.Tests;

[Collection(PlatformCollection.Name)]
public sealed class TopicRetentionTests(PlatformFixture platform)
{
    [Fact]
    public async Task RetainAckedMessages_IsSetAndReadThroughTheSdk()
    {
        var topic = platform.NewName("retain");
        using var admin = TestClients.Admin(platform.Host.Address);

        var created = await admin.CreateOrUpdateTopicAsync(topic, new TopicConfiguration { RetainAckedMessages = false });
        var read = await admin.GetTopicAsync(topic);
        var defaulted = await admin.CreateOrUpdateTopicAsync(topic, new TopicConfiguration());

        Assert.False(created.Settings.RetainAckedMessages);
        Assert.False(read.Settings.RetainAckedMessages);
        Assert.True(defaulted.Settings.RetainAckedMessages);
    }
}
