using ActorMessaging.Filters;

namespace ActorMessaging.Grains.Subscriptions;

/// <summary>
/// The subscription's filter. A message it rejects is settled as if acked, so it is never delivered and
/// leaves the backlog, which is computed from the settled set. Dead letters put back by hand bypass it.
/// </summary>
internal sealed partial class SubscriptionGrain
{
    // Bounds the work one stats call spends settling unread, filtered-out messages; the rest follows on later calls or as they are read.
    private const int MaxFilterScanPerCall = 50_000;

    private static MessageFilter CompileFilter(SubscriptionSettings settings) => MessageFilter.Compile(settings.Filter);

    /// <summary>True when the filter takes <paramref name="message"/>; otherwise settles it.</summary>
    private bool Admit(StoredMessage message)
    {
        if (_filter.Matches(message))
        {
            return true;
        }

        _ledger.SettleUnread(message.Sequence);
        return false;
    }

    /// <summary>False when a message read under an older filter is rejected by the current one (it is then settled).</summary>
    private bool StillAdmitted(PendingMessage pending)
    {
        if (pending.Resubmitted || _filter.StillMatches(pending))
        {
            return true;
        }

        // Never resubmitted here, so completing it settles its sequence.
        _ledger.Complete(pending);
        OpenNextInLane(pending);
        return false;
    }

    /// <summary>Reads ahead of delivery to settle what the filter rejects, so the backlog counts only messages the subscription will deliver.</summary>
    private async Task SettleFilteredAsync()
    {
        if (!_filter.IsActive)
        {
            return;
        }

        var from = Math.Max(Math.Max(_readAhead.Next, _filter.JudgedThrough + 1), _ledger.Floor);
        var until = Math.Min(_readAhead.KnownLast, from + MaxFilterScanPerCall - 1);
        var settledBefore = _ledger.Progress;
        while (from <= until && state.State.Exists)
        {
            var read = await _topicGrain.ReadAsync(from, ReadAhead.ReadSize);
            _ledger.SettleMissing(from, read.Messages, read.NextSequence);
            foreach (var message in read.Messages)
            {
                if (!_ledger.Tracks(message.Sequence))
                {
                    Admit(message);
                }
            }

            _filter.Judged(read.NextSequence - 1);
            if (read.NextSequence <= from)
            {
                break;
            }

            from = read.NextSequence;
        }

        if (_ledger.Progress != settledBefore)
        {
            MarkDirty();
        }
    }
}
