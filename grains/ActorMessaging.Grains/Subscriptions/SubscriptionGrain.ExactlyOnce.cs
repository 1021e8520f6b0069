using Microsoft.Extensions.Logging;

namespace ActorMessaging.Grains.Subscriptions;

/// <summary>
/// Exactly-once delivery (<see cref="SubscriptionSettings.ExactlyOnce"/>): an ack is answered only once the state write
/// that holds it has succeeded, so a confirmed ack survives a crash and its message never comes back. Acks that arrive
/// while a write is in flight share the next one (acks interleave for that reason). When any state write fails (of any
/// subscription, at-least-once too), memory holds settlements that storage may not and the ETag may be stale: the
/// activation is discarded (it hands out and settles nothing more, saves nothing more) and reloads from storage, so
/// the messages of acks that were not saved are delivered again.
/// </summary>
internal sealed partial class SubscriptionGrain
{
    private bool _discarded;

    // While an ack batch is applied, its changes are saved once at the end instead of per message.
    private bool _savesDeferred;
    private bool _dirtyWhileDeferred;

    /// <summary>Applies an ack batch; on an exactly-once subscription returns only once what applied is durable.</summary>
    private async Task<SettleResult> AckDurablyAsync(IReadOnlyList<string> ackIds, Action<PendingMessage, DateTimeOffset> ack)
    {
        // Only an exactly-once ack needs to know which ids applied (to fail them if the save does not happen).
        var exactlyOnce = Settings.ExactlyOnce;
        var applied = exactlyOnce ? new List<string>() : null;
        SettleResult result;
        _savesDeferred = true;
        try
        {
            result = Settle(ackIds, ack, applied);
        }
        finally
        {
            _savesDeferred = false;
        }

        if (!_dirtyWhileDeferred)
        {
            return result;
        }

        _dirtyWhileDeferred = false;
        if (!exactlyOnce)
        {
            MarkDirty();
            return result;
        }

        try
        {
            await _stateWriter.SaveAsync();
            return result;
        }
        catch (Exception exception)
        {
            LogAckNotDurable(exception, _topic, _name, applied!.Count);
            return new SettleResult([.. result.Failures, .. applied!.Select(id => new SettleFailure(id, ErrorCode.AckNotDurable,
                $"Subscription '{_name}' of topic '{_topic}' could not save the ack; it did not count and the message will be delivered again."))]);
        }
    }

    /// <summary>Called when a state or dead-letter write failed: memory is no longer to be trusted.</summary>
    private void Discard(Exception exception)
    {
        if (_discarded)
        {
            return;
        }

        _discarded = true;
        LogDiscarded(exception, _topic, _name);
        _waiters.WakeAll();
        DeactivateOnIdle();
    }

    private void EnsureNotDiscarded()
    {
        if (_discarded)
        {
            throw new BrokerException(ErrorCode.Unavailable, $"Subscription '{_name}' of topic '{_topic}' is reloading after a failed write; retry.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {Topic}/{Subscription} could not save {Count} exactly-once acks; they failed and their messages will be delivered again")]
    private partial void LogAckNotDurable(Exception exception, string topic, string subscription, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {Topic}/{Subscription} failed a state write; it reloads from storage")]
    private partial void LogDiscarded(Exception exception, string topic, string subscription);
}
