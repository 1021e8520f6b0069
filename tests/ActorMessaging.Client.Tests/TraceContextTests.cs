using System.Diagnostics;

namespace ActorMessaging.Client.Tests;

public sealed class TraceContextTests
{
    [Fact]
    public void Publishing_InsideAnActivity_CarriesItsW3CContext_UnlessTheMessageHasOne()
    {
        using var activity = new Activity("publish-orders").SetIdFormat(ActivityIdFormat.W3C).Start();
        activity.TraceStateString = "vendor=1";

        var stamped = WireMessages.ToWire(new ActorMessage(new byte[] { 1 }));
        var own = new ActorMessage(new byte[] { 2 }) { Attributes = { ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" } };
        var kept = WireMessages.ToWire(own);

        Assert.Equal(activity.Id, stamped.Attributes!["traceparent"]);
        Assert.Equal("vendor=1", stamped.Attributes["tracestate"]);
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", kept.Attributes!["traceparent"]);
        Assert.False(kept.Attributes.ContainsKey("tracestate"));
    }

    [Fact]
    public void Publishing_OutsideAnActivity_AddsNothing()
    {
        Activity.Current = null;

        Assert.Null(WireMessages.ToWire(new ActorMessage(new byte[] { 1 })).Attributes);
    }
}
