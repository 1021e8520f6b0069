using ActorMessaging.Grains.Topics;
using Xunit;

namespace ActorMessaging.Grains.Tests.Topics;

public sealed class ChunkIndexTests
{
    private static ChunkSummary Chunk(long number) => new(number, (number * 10) + 1, (number * 10) + 10, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Past_capacity_the_oldest_quarter_goes_and_the_newest_stay_findable()
    {
        var index = new ChunkIndex(capacity: 8);
        for (var number = 0; number < 9; number++)
        {
            index.Add(Chunk(number));
        }

        Assert.Equal(6, index.Count);
        long low = 0, high = long.MaxValue;
        Assert.Equal(Chunk(8), index.Find(85, ref low, ref high));
        Assert.Equal(Chunk(3), index.Find(31, ref low, ref high));
    }

    [Fact]
    public void A_dropped_summary_narrows_the_search_to_the_chunks_before_the_oldest_known()
    {
        var index = new ChunkIndex(capacity: 8);
        for (var number = 0; number < 9; number++)
        {
            index.Add(Chunk(number));
        }

        long low = 0, high = long.MaxValue;
        Assert.Null(index.Find(15, ref low, ref high));
        Assert.Equal((0, 2), (low, high));
    }

    [Fact]
    public void Summaries_learned_out_of_order_are_kept_sorted_and_not_duplicated()
    {
        var index = new ChunkIndex();
        index.Add(Chunk(5));
        index.Add(Chunk(2));
        index.Add(Chunk(2));
        index.Add(Chunk(9));

        Assert.Equal(3, index.Count);
        long low = 0, high = long.MaxValue;
        Assert.Null(index.Find(45, ref low, ref high));
        Assert.Equal((3, 4), (low, high));
    }
}
