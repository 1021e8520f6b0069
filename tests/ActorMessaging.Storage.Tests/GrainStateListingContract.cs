using Orleans.Runtime;
using Orleans.Storage;

namespace ActorMessaging.Storage.Tests;

/// <summary>
/// What every <see cref="IGrainStateListing"/> must do, run against each store: keys of one grain type and state, by
/// prefix, in ordinal order, in pages that continue after a key, without records that were cleared.
/// </summary>
internal static class GrainStateListingContract
{
    // Around the prefix "orders": names that sort just before, inside and just after its range, and hexadecimal names
    // (which PostgreSQL's provider would read as numbers).
    private static readonly string[] Names =
    [
        "order", "orders", "orders-eu", "orders.2", "orders0", "ordersZ", "ordersa", "ordert", "beef", "BEEF", "0beef", "cafe-1",
    ];

    public static async Task RunAsync(IGrainStorage storage, IGrainStateListing listing, string stateName, GrainType grainType)
    {
        foreach (var name in Names)
        {
            await storage.WriteStateAsync(stateName, GrainId.Create(grainType, name), new GrainState<PostgresChunkState>(new PostgresChunkState { Payload = [1] }));
        }

        // Same keys under another state name and another grain type: never listed.
        await storage.WriteStateAsync(stateName + "-other", GrainId.Create(grainType, "orders-other-state"), new GrainState<PostgresChunkState>(new PostgresChunkState()));
        var cleared = new GrainState<PostgresChunkState>(new PostgresChunkState());
        await storage.WriteStateAsync(stateName, GrainId.Create(grainType, "orders-cleared"), cleared);
        await storage.ClearStateAsync(stateName, GrainId.Create(grainType, "orders-cleared"), cleared);

        var all = Names.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(all, await listing.ListKeysAsync(grainType, stateName, string.Empty, null, 100));

        var orders = all.Where(n => n.StartsWith("orders", StringComparison.Ordinal)).ToList();
        Assert.Equal(["orders", "orders-eu", "orders.2", "orders0", "ordersZ", "ordersa"], orders);
        Assert.Equal(orders, await listing.ListKeysAsync(grainType, stateName, "orders", null, 100));

        // Pages of two, each continuing after the last key of the one before.
        var paged = new List<string>();
        string? after = null;
        while (await listing.ListKeysAsync(grainType, stateName, "orders", after, 2) is { Count: > 0 } page)
        {
            Assert.True(page.Count <= 2);
            paged.AddRange(page);
            after = page[^1];
        }

        Assert.Equal(orders, paged);

        Assert.Equal(["0beef"], await listing.ListKeysAsync(grainType, stateName, "0", null, 100));
        Assert.Equal(["BEEF"], await listing.ListKeysAsync(grainType, stateName, "BE", null, 100));
        Assert.Equal(["beef"], await listing.ListKeysAsync(grainType, stateName, "b", null, 100));
        Assert.Empty(await listing.ListKeysAsync(grainType, stateName, "beef", "beef", 100));
        Assert.Equal(["cafe-1", "order"], await listing.ListKeysAsync(grainType, stateName, string.Empty, "beef", 2));
        Assert.Empty(await listing.ListKeysAsync(grainType, stateName, "orders", "ordersa", 100));
        Assert.Empty(await listing.ListKeysAsync(grainType, stateName, "x", null, 100));
    }
}
