using ActorMessaging.Contracts;

namespace ActorMessaging.Client.Tests;

public sealed class GatewayEndpointsTests
{
    private static readonly Uri A = new("http://gw-a:5080/");
    private static readonly Uri B = new("http://gw-b:5080/");
    private static readonly Uri C = new("http://gw-c:5080/");

    [Fact]
    public void StaysWithAWorkingEndpoint_AndMovesRoundRobinAfterEachFailure()
    {
        var endpoints = new GatewayEndpoints([A, B, C]);
        Assert.Equal(A, endpoints.Current);
        endpoints.ReportFailure(A);
        Assert.Equal(B, endpoints.Current);
        endpoints.ReportFailure(B);
        Assert.Equal(C, endpoints.Current);
        endpoints.ReportFailure(C);
        Assert.Equal(A, endpoints.Current);
    }

    [Fact]
    public void AFailureOfAnEndpointNoLongerInUse_ChangesNothing()
    {
        // Two callers saw A fail: only the first report moves on, or the second would skip B unseen.
        var endpoints = new GatewayEndpoints([A, B, C]);
        endpoints.ReportFailure(A);
        endpoints.ReportFailure(A);
        Assert.Equal(B, endpoints.Current);
    }

    [Theory]
    [InlineData(ErrorCode.Unavailable, true)]
    [InlineData(ErrorCode.Timeout, true)]
    [InlineData(ErrorCode.StorageUnavailable, false)]
    [InlineData(ErrorCode.TopicNotFound, false)]
    public void OnlyUnreachableOrUnansweringGateways_CountAsGatewayFailures(ErrorCode code, bool failure) =>
        Assert.Equal(failure, GatewayEndpoints.IsGatewayFailure(new ActorMessagingException(code, "x")));
}
