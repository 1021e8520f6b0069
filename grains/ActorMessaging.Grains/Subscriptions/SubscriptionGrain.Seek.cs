using Microsoft.Extensions.Logging;

namespace ActorMessaging.Grains.Subscriptions;

/// <summary>
/// Replay: moving the cursor to a sequence or a time. Everything before the target counts as acked and
/// everything from it on is unsettled again, with fresh attempts; leases in flight end (their ack ids
/// expire) and dead letters put back by hand stay in delivery.
/// </summary>
internal sealed partial class SubscriptionGrain
{
    public async Task<SubscriptionInfo> SeekAsync(SeekTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        EnsureExists();
        var sequence = await ResolveAsync(target);
        EnsureExists();
        MoveCursor(sequence);
        await SaveOrDeactivateAsync();
        LogSeek(_topic, _name, target, sequence);
        Pump(clock.UtcNow);
        return await InfoAsync();
    }

    /// <summary>The sequence <paramref name="target"/> names, checked against what the topic retains.</summary>
    private async Task<long> ResolveAsync(SeekTarget target)
    {
        var position = await _topicGrain.GetPositionAsync();
        _readAhead.Learn(position.NextSequence - 1);
        if (target.Time is { } time && target.Sequence is null)
        {
            return await _topicGrain.FindSequenceAsync(time);
        }

        if (target.Sequence is not { } sequence || target.Time is not null)
        {
            throw new BrokerException(ErrorCode.InvalidArgument, "A seek needs exactly one of a sequence and a time.");
        }

        if (sequence < position.FirstSequence || sequence > position.NextSequence)
        {
            throw new BrokerException(ErrorCode.InvalidArgument,
                $"Sequence {sequence} is not retained by topic '{_topic}': it holds {position.FirstSequence} to {position.NextSequence - 1} (or {position.NextSequence} for the end).");
        }

        return sequence;
    }

    private void MoveCursor(long sequence)
    {
        _ledger.RewindTo(state.State, sequence);
        var knownLast = _readAhead.KnownLast;
        _readAhead.Invalidate();
        LoadDeliveryState(newEpoch: true);
        _readAhead.Learn(knownLast);
        _consumers.AllLeasesEnded();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscription {Topic}/{Subscription} sought to {Target}: cursor at sequence {Sequence}")]
    private partial void LogSeek(string topic, string subscription, SeekTarget target, long sequence);
}
