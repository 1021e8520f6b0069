namespace ActorMessaging.Grains.Subscriptions;

internal sealed partial class SubscriptionGrain
{
    internal const int MaxDeadLetters = 10_000;
    internal const int MaxDeadLetterPage = 1000;

    public Task<DeadLetterPage> ListDeadLettersAsync(int maxItems, long? afterSequence)
    {
        if (maxItems < 1 || maxItems > MaxDeadLetterPage)
        {
            throw new ActorMessagingException(ErrorCode.InvalidArgument, $"maxItems must be between 1 and {MaxDeadLetterPage}, was {maxItems}.");
        }

        EnsureExists();
        var after = afterSequence ?? 0;
        var page = deadLetters.State.Items.Where(d => d.Message.Sequence > after).Take(maxItems + 1).ToList();
        var more = page.Count > maxItems;
        if (more)
        {
            page.RemoveAt(page.Count - 1);
        }

        return Task.FromResult(new DeadLetterPage(page, more ? page[^1].Message.Sequence : null));
    }

    public async Task<int> ResubmitDeadLettersAsync(IReadOnlyList<long>? sequences)
    {
        EnsureExists();
        var wanted = sequences is null ? null : new HashSet<long>(sequences);
        var chosen = deadLetters.State.Items.Where(d => wanted is null || wanted.Contains(d.Message.Sequence)).ToList();
        if (chosen.Count == 0)
        {
            return 0;
        }

        // Into delivery first, then out of the store: a crash in between duplicates a message, never loses one.
        var now = clock.UtcNow;
        foreach (var letter in chosen)
        {
            if (_pending.ContainsKey(letter.Message.Sequence))
            {
                continue;
            }

            var pending = new PendingMessage(letter.Message, attempts: 0, resubmitted: true) { Fresh = false };
            _pending[pending.Sequence] = pending;
            _resubmittedCount++;
            MakeReady(pending, now);
        }

        await SaveOrDeactivateAsync();
        var removed = deadLetters.State.Items.RemoveAll(d => wanted is null || wanted.Contains(d.Message.Sequence));
        await _deadLetterWriter.SaveAsync();
        Pump(now);
        return removed;
    }

    public async Task<int> PurgeDeadLettersAsync()
    {
        EnsureExists();
        var count = deadLetters.State.Items.RemoveAll(d => !_pending.TryGetValue(d.Message.Sequence, out var pending) || !pending.Parking);
        if (count > 0)
        {
            await _deadLetterWriter.SaveAsync();
        }

        return count;
    }
}
