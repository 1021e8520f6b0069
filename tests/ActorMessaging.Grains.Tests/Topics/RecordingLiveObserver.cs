using System.Collections.Concurrent;

namespace ActorMessaging.Grains.Tests.Topics;

/// <summary>A live-subscriber observer that records what the topic sends, standing in for a gateway.</summary>
public sealed class RecordingLiveObserver : ILiveTopicObserver
{
    public ConcurrentQueue<StoredMessage> Received { get; } = new();

    public ConcurrentQueue<string> DeletedTopics { get; } = new();

    public Task OnPublishedAsync(string topic, PublishedBatch batch)
    {
        foreach (var message in batch.Messages)
        {
            Received.Enqueue(message);
        }

        return Task.CompletedTask;
    }

    public Task OnTopicDeletedAsync(string topic)
    {
        DeletedTopics.Enqueue(topic);
        return Task.CompletedTask;
    }
}
