using Microsoft.Extensions.Logging;

namespace ActorMessaging.Grains.Topics;

/// <summary>
/// The topic's timer, which exists only while something is due (see <see cref="DueTimer"/>): a checkpoint of the head,
/// 5 s after a commit moved it past the stored one; the next retention pass (see <see cref="NextRetentionPass"/>); and a
/// probe for chunks another activation wrote, 5 s after someone asked where the log ends. Each tick does all that is due.
/// A topic whose head is checkpointed, whose log holds nothing retention can take soon and which nobody reads has no
/// timer: before, every topic ticked every 5 s, and each tick read storage to probe.
/// </summary>
internal sealed partial class TopicGrain
{
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(5);

    private DueTimer _timer = null!;

    private void StartTimer()
    {
        _timer = new DueTimer(this, OnTimerAsync);
        ScheduleTimer();
    }

    /// <summary>Arms the timer for what is due next, if anything.</summary>
    private void ScheduleTimer()
    {
        if (!state.State.Exists || _broken || _deleting)
        {
            return;
        }

        if (_headChunk > state.State.CheckpointChunk)
        {
            _timer.Within(CheckpointInterval);
        }

        // A pass that is due already waits 5 s like a checkpoint: at activation, recovery has just read the log, and
        // the call that activated the topic is about to use it.
        var now = clock.UtcNow;
        if (NextRetentionPass(now) is { } pass)
        {
            _timer.Within(pass - now > CheckpointInterval ? pass - now : CheckpointInterval);
        }
    }

    /// <summary>
    /// Someone learns where the log ends: within 5 s, make sure no other activation wrote past it. Only a reader can
    /// be misled by such a chunk (a publish here finds it when its own write of that chunk fails), so a topic nobody
    /// reads does not probe, and one that is read probes at most every 5 s.
    /// </summary>
    private void ProbeSoon() => _timer.Within(CheckpointInterval);

    private async Task OnTimerAsync()
    {
        try
        {
            await CheckpointAsync();
            await ProbeForeignWriterAsync();
            await EnforceRetentionAsync();
            ForgetExpiredWatchers();
        }
        finally
        {
            ScheduleTimer();
        }
    }

    private async Task CheckpointAsync()
    {
        if (state.State.Exists && !_broken && !_deleting && _headChunk > state.State.CheckpointChunk)
        {
            try
            {
                await _stateWriter.SaveAsync();
            }
            catch (Exception exception)
            {
                // The writer has ended the activation (StateWriteFailed); the next one probes from the older checkpoint.
                LogCheckpointFailed(exception, _name);
            }
        }
    }

    /// <summary>
    /// Ends this activation when a chunk it did not write follows its head: another activation of the topic is
    /// writing (a duplicate during a membership change), and this one's view of the log is stale. Only an idle
    /// head is probed, so a write of this activation's own is never mistaken for a foreign one.
    /// </summary>
    private async Task ProbeForeignWriterAsync()
    {
        if (_writes.Count > 0 || _pending.Count > 0 || _broken || _deleting || !state.State.Exists)
        {
            return;
        }

        var probed = _headChunk + 1;
        var found = await _chunks.ReadAsync(state.State.Generation, probed) is not null;
        if (found && _nextChunk == probed && !_broken)
        {
            LogForeignWriter(_name, probed);
            Break();
        }
    }

    // Publishes skip expired watchers anyway; this only lets go of them.
    private void ForgetExpiredWatchers()
    {
        var now = clock.UtcNow;
        foreach (var (subscription, expires) in _watchers.ToList())
        {
            if (expires < now)
            {
                _watchers.Remove(subscription);
            }
        }

        _liveWatchers.RemoveExpired(now);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Topic {Topic} found chunk {Chunk} after its head written by another activation; reloading")]
    private partial void LogForeignWriter(string topic, long chunk);
}
