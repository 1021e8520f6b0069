using Microsoft.Extensions.Logging;

namespace ActorMessaging.Grains.Topics;

internal sealed partial class TopicGrain
{
    private const int MaxChunksDeletedPerPass = 256;
    private static readonly TimeSpan RetentionCheckInterval = TimeSpan.FromSeconds(30);

    private DateTimeOffset _lastRetentionCheck = DateTimeOffset.MinValue;
    private bool _enforcingRetention;

    /// <summary>
    /// Deletes whole chunks from the front of the log once their newest message is older than the
    /// topic's retention. Runs after commits and on the checkpoint timer, at most every 30 seconds.
    /// </summary>
    private async Task EnforceRetentionAsync()
    {
        var now = clock.UtcNow;
        if (_enforcingRetention || _deleting || _broken || !state.State.Exists || now - _lastRetentionCheck < RetentionCheckInterval)
        {
            return;
        }

        _enforcingRetention = true;
        _lastRetentionCheck = now;
        try
        {
            var cutoff = now - state.State.Settings.Retention;
            var deleted = 0;
            while (state.State.FirstChunk <= _headChunk && deleted < MaxChunksDeletedPerPass)
            {
                var number = state.State.FirstChunk;
                var messages = await ReadChunkAsync(number);
                if (messages is not null && messages[^1].PublishedAt >= cutoff)
                {
                    break;
                }

                // Rows go first, the new front after: a crash in between leaves a front that points at
                // missing chunks, which reads already treat as "removed by retention".
                if (messages is not null)
                {
                    await _chunks.DeleteAsync(state.State.Generation, number);
                }

                _cache.Remove(number);
                state.State.FirstChunk = number + 1;
                deleted++;
            }

            if (deleted > 0)
            {
                _index.RemoveBelow(state.State.FirstChunk);
                await _stateWriter.SaveAsync();
                LogRetentionDeleted(_name, deleted, state.State.FirstChunk);
            }
        }
        catch (Exception exception)
        {
            LogRetentionFailed(exception, _name);
        }
        finally
        {
            _enforcingRetention = false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic} deleted {Chunks} chunks past retention; the log now starts at chunk {FirstChunk}")]
    private partial void LogRetentionDeleted(string topic, int chunks, long firstChunk);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Topic {Topic} could not delete chunks past retention; will retry")]
    private partial void LogRetentionFailed(Exception exception, string topic);
}
