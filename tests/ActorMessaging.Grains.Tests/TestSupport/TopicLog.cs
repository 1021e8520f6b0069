using ActorMessaging.Grains.Directory;
using ActorMessaging.Grains.Topics;

namespace ActorMessaging.Grains.Tests;

/// <summary>A topic's log chunks in storage, as another activation of the topic would write them: of its current generation.</summary>
internal sealed class TopicLog(LogChunkStore chunks, long generation)
{
    public static async Task<TopicLog> OfAsync(ClusterFixture fixture, ITopicGrain topic)
    {
        var record = new GrainState<TopicState>(new TopicState());
        await fixture.StateStorage.ReadStateAsync(TopicRecords.StateName, topic.GetGrainId(), record);
        Assert.True(record.RecordExists, "the topic has a record");
        return new TopicLog(new LogChunkStore(fixture.LogStorage, topic.GetPrimaryKeyString()), record.State!.Generation);
    }

    public Task WriteAsync(long chunk, List<StoredMessage> messages) => chunks.WriteAsync(generation, chunk, messages);

    public Task<List<StoredMessage>?> ReadAsync(long chunk) => chunks.ReadAsync(generation, chunk);
}
