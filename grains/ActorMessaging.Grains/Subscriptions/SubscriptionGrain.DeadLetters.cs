namespace ActorMessaging.Grains.Subscriptions;

internal sealed partial class SubscriptionGrain
{
    internal const int MaxDeadLetters = 10_000;
    internal const int MaxDeadLetterPage = 1000;

    public Task<DeadLetterPage> ListDeadLettersAsync(int maxItems, long? afterSequence)
    {
        if (maxItems < 1 || maxItems > MaxDeadLetterPage)
        {
            throw new BrokerException(ErrorCode.InvalidArgument, $"maxItems must be between 1 and {MaxDeadLetterPage}, was {maxItems}.");
        }

        EnsureExists();
        var after = afterSequence ?? 0;
        var page = deadLetters.State.Items.Where(d => d.Message.Sequence > after && !IsBeingWritten(d)).Take(maxItems + 1).ToList();
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
        // A letter whose message is still pending (its dead-letter write has not returned) is not the store's to hand out yet.
        var chosen = new HashSet<DeadLetter>(
            deadLetters.State.Items.Where(d => (wanted is null || wanted.Contains(d.Message.Sequence)) && !_ledger.IsPending(d.Message.Sequence)),
            ReferenceEqualityComparer.Instance);
        if (chosen.Count == 0)
        {
            return 0;
        }

        // Into delivery first, then out of the store: a crash in between duplicates a message, never loses one.
        var now = clock.UtcNow;
        foreach (var letter in chosen)
        {
            _ready.Add(_ledger.Resubmit(letter.Message, attempts: 0), now);
        }

        await SaveOrDeactivateAsync();
        var removed = deadLetters.State.Items.RemoveAll(chosen.Contains);
        await _deadLetterWriter.SaveAsync();
        Pump(now);
        return removed;
    }

    private bool IsBeingWritten(DeadLetter letter) =>
        _ledger.TryGet(letter.Message.Sequence, out var pending) && pending.Parking;

    public async Task<int> PurgeDeadLettersAsync()
    {
        EnsureExists();
        var count = deadLetters.State.Items.RemoveAll(d => !IsBeingWritten(d));
        if (count > 0)
        {
            await _deadLetterWriter.SaveAsync();
        }

        return count;
    }
}
