namespace ActorMessaging.Grains.Subscriptions;

/// <summary>The attached push consumers by id, each with its flow-control window and the lifetime its attach gave it.</summary>
internal sealed class PushConsumers
{
    private readonly Dictionary<string, AttachedConsumer> _consumers = new(StringComparer.Ordinal);

    public int Count => _consumers.Count;

    public bool Contains(string consumerId) => _consumers.ContainsKey(consumerId);

    /// <summary>Attaches the consumer, or renews it with its new registration; true when it is new.</summary>
    public bool Attach(ConsumerRegistration registration, DateTimeOffset expiresAt)
    {
        if (_consumers.TryGetValue(registration.ConsumerId, out var attached))
        {
            attached.Registration = registration;
            attached.ExpiresAt = expiresAt;
            return false;
        }

        _consumers[registration.ConsumerId] = new AttachedConsumer(registration, expiresAt);
        return true;
    }

    public void Remove(string consumerId) => _consumers.Remove(consumerId);

    public void Clear() => _consumers.Clear();

    /// <summary>Consumers whose attach ran out before <paramref name="now"/> (a copy: the caller detaches them).</summary>
    public List<AttachedConsumer> ExpiredBy(DateTimeOffset now) => [.. _consumers.Values.Where(c => c.ExpiresAt < now)];

    /// <summary>Consumers with room in their window and no push under way.</summary>
    public IEnumerable<AttachedConsumer> ReadyToSend => _consumers.Values.Where(c => !c.Sending && c.Credit > 0);

    /// <summary>A lease held by <paramref name="consumerId"/> ended: its window has room for one more.</summary>
    public void LeaseEnded(string? consumerId)
    {
        if (consumerId is not null && _consumers.TryGetValue(consumerId, out var consumer))
        {
            consumer.InFlight--;
        }
    }

    /// <summary>Every lease ended at once (a seek).</summary>
    public void AllLeasesEnded()
    {
        foreach (var consumer in _consumers.Values)
        {
            consumer.InFlight = 0;
        }
    }
}
