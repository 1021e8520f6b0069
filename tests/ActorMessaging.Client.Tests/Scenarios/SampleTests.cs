using ActorMessaging.Sample;

namespace ActorMessaging.Client.Tests;

/// <summary>The sample in <c>samples/</c> runs against the real platform, so it cannot rot.</summary>
[Collection(PlatformCollection.Name)]
public sealed class SampleTests(PlatformFixture platform)
{
    [Fact]
    public async Task OrdersSample_PublishesAndProcessesItsOrders()
    {
        using var output = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await OrdersSample.RunAsync(platform.Host.Address, output, timeout.Token);

        var text = output.ToString();
        Assert.Contains($"done: {OrdersSample.Orders} orders published and processed", text, StringComparison.Ordinal);
        Assert.Equal(OrdersSample.Orders, text.Split('\n').Count(l => l.StartsWith("processed order", StringComparison.Ordinal)));
        Assert.DoesNotContain("error (", text, StringComparison.Ordinal);
    }
}
