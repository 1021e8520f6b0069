using Microsoft.Extensions.Logging;

namespace ActorMessaging.Grains.Subscriptions;

internal sealed partial class SubscriptionGrain
{
    internal const int MaxAckIds = 1000;

    public Task<SettleResult> AckAsync(IReadOnlyList<string> ackIds) =>
        AckDurablyAsync(ackIds, (pending, _) =>
        {
            EndLease(pending);
            Complete(pending);
            DeliveryTelemetry.Acked(_topic, _name, pending.Message);
        });

    public Task<SettleResult> NackAsync(IReadOnlyList<string> ackIds, TimeSpan? delay)
    {
        if (delay is { } value && (value < TimeSpan.Zero || value > SubscriptionSettings.MaxBackoffLimit))
        {
            throw new BrokerException(ErrorCode.InvalidArgument, $"Nack delay must be between 0 and {SubscriptionSettings.MaxBackoffLimit.TotalSeconds} seconds, was {value.TotalSeconds}.");
        }

        return Task.FromResult(Settle(ackIds, (pending, now) =>
        {
            EndLease(pending);
            RetryOrDeadLetter(pending, delay, now);
            DeliveryTelemetry.Nacked(_topic, _name, pending.Message);
        }));
    }

    public Task<SettleResult> RejectAsync(IReadOnlyList<string> ackIds)
    {
        EnsureExists();
        if (!Settings.DeadLettering)
        {
            throw new BrokerException(ErrorCode.InvalidArgument, $"Subscription '{_name}' of topic '{_topic}' has dead-lettering off; ack or nack the message instead.");
        }

        return Task.FromResult(Settle(ackIds, (pending, now) =>
        {
            EndLease(pending);
            if (HasDeadLetterRoom)
            {
                _ = DeadLetterAsync(pending, DeadLetterReasons.Rejected, now);
                return;
            }

            LogDeadLetterStoreFull(_topic, _name, pending.Sequence);
            _ready.Add(pending, now + Settings.MaxBackoff);
        }));
    }

    public Task<SettleResult> ExtendAsync(IReadOnlyList<string> ackIds, TimeSpan extension)
    {
        if (extension < TimeSpan.Zero || extension > SubscriptionSettings.MaxAckDeadline)
        {
            throw new BrokerException(ErrorCode.InvalidArgument, $"Lease extension must be between 0 and {SubscriptionSettings.MaxAckDeadline.TotalSeconds} seconds, was {extension.TotalSeconds}.");
        }

        return Task.FromResult(Settle(ackIds, (pending, now) =>
        {
            _leases.Extend(pending, now + extension);
        }));
    }

    /// <summary>Applies <paramref name="apply"/> to each valid lease (listing its id in <paramref name="applied"/>); reports every id that is not one.</summary>
    private SettleResult Settle(IReadOnlyList<string> ackIds, Action<PendingMessage, DateTimeOffset> apply, List<string>? applied = null)
    {
        if (ackIds is null || ackIds.Count == 0 || ackIds.Count > MaxAckIds)
        {
            throw new BrokerException(ErrorCode.InvalidArgument, $"Between 1 and {MaxAckIds} ack ids are required, got {ackIds?.Count ?? 0}.");
        }

        EnsureExists();
        var now = clock.UtcNow;
        ExpireLeases(now);
        List<SettleFailure>? failures = null;
        foreach (var ackId in ackIds)
        {
            if (Lease(ackId, out var pending) is { } failure)
            {
                (failures ??= []).Add(failure);
                continue;
            }

            apply(pending!, now);
            applied?.Add(ackId);
        }

        Pump(now);
        return failures is null ? SettleResult.Success : new SettleResult(failures);
    }

    /// <summary>Null when <paramref name="ackId"/> names a live lease; otherwise why not.</summary>
    private SettleFailure? Lease(string ackId, out PendingMessage? pending)
    {
        pending = null;
        if (_discarded)
        {
            return new SettleFailure(ackId ?? string.Empty, ErrorCode.AckIdExpired, "The lease ended: the subscription is reloading after a failed write; the message will be delivered again.");
        }

        if (!AckId.TryParse(ackId, out var epoch, out var sequence, out var attempt))
        {
            return new SettleFailure(ackId ?? string.Empty, ErrorCode.AckIdUnknown, $"Not an ack id of subscription '{_name}' of topic '{_topic}'.");
        }

        if (epoch != _leases.Epoch)
        {
            return new SettleFailure(ackId, ErrorCode.AckIdExpired, "The lease ended when the subscription was reloaded; the message will be delivered again.");
        }

        if (!_ledger.TryGet(sequence, out pending))
        {
            return _ledger.IsSettled(sequence)
                ? new SettleFailure(ackId, ErrorCode.AckIdExpired, $"Message {sequence} is already settled.")
                : new SettleFailure(ackId, ErrorCode.AckIdUnknown, $"Message {sequence} was never delivered by subscription '{_name}' of topic '{_topic}'.");
        }

        if (pending.Attempts != attempt || !pending.Leased)
        {
            return new SettleFailure(ackId, ErrorCode.AckIdExpired, pending.Attempts > attempt
                ? $"The lease of message {sequence} ended; it was delivered again as attempt {pending.Attempts}."
                : $"The lease of message {sequence} expired or was released.");
        }

        return null;
    }

    /// <summary>Marks a message done for this subscription: acked, or safely in the dead-letter store.</summary>
    private void Complete(PendingMessage pending)
    {
        _ledger.Complete(pending);
        OpenNextInLane(pending);
        MarkDirty();
    }

    private void RetryOrDeadLetter(PendingMessage pending, TimeSpan? delay, DateTimeOffset now)
    {
        if (Settings.DeadLettering && pending.Attempts >= Settings.MaxDeliveryAttempts)
        {
            if (HasDeadLetterRoom)
            {
                _ = DeadLetterAsync(pending, DeadLetterReasons.MaxDeliveryAttempts, now);
                return;
            }

            LogDeadLetterStoreFull(_topic, _name, pending.Sequence);
        }

        _ready.Add(pending, now + (delay ?? Settings.BackoffFor(pending.Attempts)));
    }

    // The dead letter is durable before the message counts as settled, so a crash in between redelivers it rather than losing it.
    private async Task DeadLetterAsync(PendingMessage pending, string reason, DateTimeOffset now)
    {
        pending.Parking = true;
        if (Settings.DeadLetterTopic is { } target && await TryForwardAsync(target, pending, reason))
        {
            pending.Parking = false;
            if (_ledger.IsPending(pending.Sequence))
            {
                Complete(pending);
                LogDeadLettered(_topic, _name, pending.Sequence, pending.Attempts, reason);
            }

            return;
        }

        var letter = new DeadLetter(pending.Message, pending.Attempts, reason, now);
        InsertDeadLetter(letter);
        try
        {
            await _deadLetterWriter.SaveAsync();
        }
        catch (Exception exception)
        {
            LogDeadLetterFailed(exception, _topic, _name, pending.Sequence);
            deadLetters.State.Items.Remove(letter);
            pending.Parking = false;
            _ready.Add(pending, clock.UtcNow + Settings.MaxBackoff);
            return;
        }

        pending.Parking = false;
        if (_ledger.IsPending(pending.Sequence))
        {
            Complete(pending);
            DeliveryTelemetry.DeadLettered(_topic, _name, pending.Message);
            LogDeadLettered(_topic, _name, pending.Sequence, pending.Attempts, reason);
        }
    }

    private void InsertDeadLetter(DeadLetter letter)
    {
        var items = deadLetters.State.Items;
        var index = items.FindLastIndex(d => d.Message.Sequence <= letter.Message.Sequence);
        items.Insert(index + 1, letter);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscription {Topic}/{Subscription} dead-lettered message {Sequence} after {Attempts} attempts ({Reason})")]
    private partial void LogDeadLettered(string topic, string subscription, long sequence, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {Topic}/{Subscription} could not store dead letter {Sequence}; it stays in retry")]
    private partial void LogDeadLetterFailed(Exception exception, string topic, string subscription, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-letter store of {Topic}/{Subscription} is full; message {Sequence} stays in retry")]
    private partial void LogDeadLetterStoreFull(string topic, string subscription, long sequence);
}
