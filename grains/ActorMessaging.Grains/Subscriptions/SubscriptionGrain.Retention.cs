namespace ActorMessaging.Grains.Subscriptions;

/// <summary>
/// The subscription's side of <see cref="TopicSettings.RetainAckedMessages"/> false: telling its topic how far it
/// may delete. The topic asks (see <c>TopicGrain.Retention</c>), so subscriptions of topics that keep acked
/// messages never spend a call on it.
/// </summary>
internal sealed partial class SubscriptionGrain
{
    // The floor last answered and the ETag of the state then: while no write has succeeded since, it is still what storage holds.
    private long _answeredFloor = -1;
    private string? _answeredEtag;

    public async Task<long> GetDurableAckFloorAsync(long lastSequence)
    {
        if (!state.State.Exists)
        {
            return long.MaxValue;
        }

        // Filtered-out messages count as settled: judge those the read-ahead has not reached, so a subscription
        // whose filter rejects most messages does not hold them back until a consumer comes.
        _readAhead.Learn(lastSequence);
        await SettleFilteredAsync();
        var floor = _ledger.Floor;
        if (!state.State.Exists)
        {
            return long.MaxValue;
        }

        if (floor == _answeredFloor && state.Etag == _answeredEtag)
        {
            // Nothing moved and nothing was stored since: an idle subscription answers without a write.
            return floor;
        }

        // A write that starts after this point stores at least this floor (it only rises), or a lower one a seek
        // set meanwhile: the lower of the two is in storage either way.
        await _stateWriter.SaveAsync();
        if (!state.State.Exists)
        {
            return long.MaxValue;
        }

        _answeredFloor = Math.Min(floor, state.State.AckFloor);
        _answeredEtag = state.Etag;
        return _answeredFloor;
    }
}
