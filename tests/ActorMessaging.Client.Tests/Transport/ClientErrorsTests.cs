using Microsoft.AspNetCore.SignalR;

namespace ActorMessaging.Client.Tests;

public sealed class ClientErrorsTests
{
    [Fact]
    public void TypedHubError_KeepsCodeAndDetail()
    {
        var error = Assert.IsType<ActorMessagingException>(ClientErrors.FromHub(new HubException("2001 TopicNotFound: Topic 'x' not found."), "Publish", CancellationToken.None));
        Assert.Equal(ErrorCode.TopicNotFound, error.Code);
        Assert.Equal("Topic 'x' not found.", error.Message);
        Assert.False(error.IsTransient);

        var transient = Assert.IsType<ActorMessagingException>(ClientErrors.FromHub(new HubException("5001 StorageUnavailable: The write failed."), "Publish", CancellationToken.None));
        Assert.True(transient.IsTransient);
    }

    [Fact]
    public void LostConnection_IsTransientUnavailable()
    {
        var error = Assert.IsType<ActorMessagingException>(ClientErrors.FromHub(new TaskCanceledException("Invocation canceled due to the underlying connection being closed."), "Publish", CancellationToken.None));
        Assert.Equal(ErrorCode.Unavailable, error.Code);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public void UntypedHubError_IsInternal()
    {
        var error = Assert.IsType<ActorMessagingException>(ClientErrors.FromHub(new HubException("Failed to invoke 'Publish' due to an error on the server."), "Publish", CancellationToken.None));
        Assert.Equal(ErrorCode.Internal, error.Code);
    }
}
