namespace ActorMessaging.Grains.Tests.Topics;

internal static class Pulls
{
    /// <summary>Pulls (and acks what <paramref name="ack"/> picks) until nothing is ready, or once when <paramref name="max"/> is given.</summary>
    public static async Task<string[]> DrainAsync(ISubscriptionGrain subscription, int? max = null, Func<Delivery, bool>? ack = null)
    {
        var texts = new List<string>();
        while (true)
        {
            var deliveries = await subscription.PullAsync(max ?? 1000, TimeSpan.Zero);
            var acked = deliveries.Where(ack ?? (_ => true)).Select(d => d.AckId).ToList();
            if (acked.Count > 0)
            {
                Assert.Empty((await subscription.AckAsync(acked)).Failures);
            }

            texts.AddRange(deliveries.Select(d => TestMessages.TextOf(d.Message)));
            if (deliveries.Count == 0 || max is not null)
            {
                return [.. texts];
            }
        }
    }
}
