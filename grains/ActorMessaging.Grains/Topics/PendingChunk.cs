namespace ActorMessaging.Grains.Topics;

/// <summary>Messages waiting for the next group commit, and the publishers waiting on it.</summary>
internal sealed class PendingChunk
{
    public List<StoredMessage> Messages { get; } = [];

    public long Bytes { get; set; }

    public TaskCompletionSource Durable { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
