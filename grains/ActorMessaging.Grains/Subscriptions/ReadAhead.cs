namespace ActorMessaging.Grains.Subscriptions;

/// <summary>
/// How far the subscription has read its topic's log ahead of delivery, how far it knows the log goes, and the one
/// read in flight. Reading pauses while enough fresh messages wait to be handed out and resumes below a low water
/// mark, so memory stays bounded however far behind the subscription is.
/// </summary>
internal sealed class ReadAhead
{
    /// <summary>Messages asked for in one read of the log.</summary>
    public const int ReadSize = 500;
    private const int LowWater = 500;
    private const int HighWater = 2000;

    /// <summary>The next sequence to read.</summary>
    public long Next { get; private set; }

    /// <summary>The last sequence the topic is known to hold; it only rises until the next restart.</summary>
    public long KnownLast { get; private set; }

    /// <summary>The read in flight, if any; at most one at a time.</summary>
    public Task? Reading { get; private set; }

    /// <summary>Bumped by a seek: a read started before it belongs to the old position and is dropped.</summary>
    public int Generation { get; private set; }

    /// <summary>Reads again from <paramref name="floor"/>, knowing nothing of the log beyond it.</summary>
    public void Restart(long floor)
    {
        Next = floor;
        KnownLast = floor - 1;
    }

    /// <summary>A seek: reads in flight are for the old position.</summary>
    public void Invalidate() => Generation++;

    public void Learn(long last) => KnownLast = Math.Max(KnownLast, last);

    /// <summary>Everything before <paramref name="next"/> has been read.</summary>
    public void Advance(long next) => Next = Math.Max(Next, next);

    /// <summary>Whether to start a read, given the fresh messages waiting and whether the ordering lanes are full.</summary>
    public bool ShouldRead(int fresh, bool lanesFull) => Reading is null && fresh < LowWater && !lanesFull && Next <= KnownLast;

    /// <summary>Whether a published batch starting at <paramref name="first"/> can be taken as is instead of reading the log.</summary>
    public bool Continues(long first, int fresh) => Reading is null && first == Next && fresh < HighWater;

    public void Started(Task read)
    {
        // A read that completes at once (its reply beat the await) has already called Finished, and may have
        // started the next one: keeping the finished task would stop this subscription reading for good.
        if (!read.IsCompleted)
        {
            Reading = read;
        }
    }

    public void Finished() => Reading = null;
}
