using System.Text.Json;
using ActorMessaging.Gateway.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;

namespace ActorMessaging.Gateway.Tests;

/// <summary>The one ErrorCode → HTTP mapping, and failures a live host cannot easily produce (the cluster out of reach, bugs).</summary>
public sealed class HttpErrorMappingTests
{
    public static TheoryData<ErrorCode, int> Statuses => new()
    {
        { ErrorCode.InvalidName, 400 },
        { ErrorCode.InvalidSetting, 400 },
        { ErrorCode.InvalidMessage, 400 },
        { ErrorCode.MessageTooLarge, 413 },
        { ErrorCode.BatchTooLarge, 413 },
        { ErrorCode.AttributesTooLarge, 400 },
        { ErrorCode.InvalidArgument, 400 },
        { ErrorCode.InvalidFilter, 400 },
        { ErrorCode.TopicNotFound, 404 },
        { ErrorCode.SubscriptionNotFound, 404 },
        { ErrorCode.ConflictingSettings, 409 },
        { ErrorCode.AlreadyExists, 409 },
        { ErrorCode.EntityLimitReached, 409 },
        { ErrorCode.AckIdUnknown, 400 },
        { ErrorCode.AckIdExpired, 409 },
        { ErrorCode.ConsumerNotAttached, 409 },
        { ErrorCode.AckNotDurable, 409 },
        { ErrorCode.Unauthenticated, 401 },
        { ErrorCode.Forbidden, 403 },
        { ErrorCode.RateLimited, 429 },
        { ErrorCode.StorageUnavailable, 503 },
        { ErrorCode.Unavailable, 503 },
        { ErrorCode.Timeout, 503 },
        { ErrorCode.Internal, 500 },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public void ErrorStatus_MapsEachCode(ErrorCode code, int status) => Assert.Equal(status, ErrorStatus.Of(code));

    [Fact]
    public void ErrorStatus_CoversTheWholeCatalog() =>
        Assert.Equal(Enum.GetValues<ErrorCode>().Order(), Statuses.Select(row => (ErrorCode)row[0]).Order());

    [Fact]
    public async Task Problem_CarriesCodeErrorAndDetail_AsProblemJson()
    {
        var context = NewContext();

        await ApiProblems.Result(context, BrokerException.TopicNotFound("orders")).ExecuteAsync(context);

        var problem = await ReadAsync(context);
        Assert.Equal(404, context.Response.StatusCode);
        Assert.StartsWith("application/problem+json", context.Response.ContentType, StringComparison.Ordinal);
        Assert.Equal(2001, problem.GetProperty("code").GetInt32());
        Assert.Equal("TopicNotFound", problem.GetProperty("error").GetString());
        Assert.Equal("Topic 'orders' not found.", problem.GetProperty("detail").GetString());
        Assert.False(context.Response.Headers.ContainsKey("Retry-After"));
    }

    [Fact]
    public async Task Problem_ForRateLimiting_Is429WithRetryAfter()
    {
        var context = NewContext();

        await ApiProblems.Result(context, new BrokerException(ErrorCode.RateLimited, "Slow down.")).ExecuteAsync(context);

        Assert.Equal(429, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter);
    }

    public static TheoryData<Exception> Unreachable => new()
    {
        new SiloUnavailableException("The silo is gone."),
        new GatewayTooBusyException(),
        new BrokerException(ErrorCode.Unavailable, "Topic 'orders' is being deleted; retry."),
    };

    [Theory]
    [MemberData(nameof(Unreachable))]
    public async Task Filter_ClusterOutOfReach_Is503UnavailableWithRetryAfter(Exception exception)
    {
        var context = NewContext();

        await InvokeFilterAsync(context, exception);

        var problem = await ReadAsync(context);
        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter);
        Assert.Equal(5002, problem.GetProperty("code").GetInt32());
        Assert.Equal("Unavailable", problem.GetProperty("error").GetString());
    }

    public static TheoryData<Exception> TimedOut => new()
    {
        new TimeoutException("Response did not arrive on time."),
        new TaskCanceledException("The request was cancelled: the response timed out."),
    };

    // Issue 11 risk 4: an Orleans response timeout was reported as Unavailable, and a cancelled wait as a 500.
    [Theory]
    [MemberData(nameof(TimedOut))]
    public async Task Filter_CallThatTimedOut_Is503TimeoutWithRetryAfter(Exception exception)
    {
        var context = NewContext();

        await InvokeFilterAsync(context, exception);

        var problem = await ReadAsync(context);
        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter);
        Assert.Equal(5003, problem.GetProperty("code").GetInt32());
        Assert.Equal("Timeout", problem.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Filter_UnexpectedException_Is500Internal_WithoutItsMessage()
    {
        var context = NewContext();

        await InvokeFilterAsync(context, new InvalidOperationException("secret internals"));

        var problem = await ReadAsync(context);
        Assert.Equal(500, context.Response.StatusCode);
        Assert.Equal("Internal", problem.GetProperty("error").GetString());
        Assert.DoesNotContain("secret", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task InvokeFilterAsync(HttpContext context, Exception exception)
    {
        var filter = new ApiErrorFilter(NullLogger<ApiErrorFilter>.Instance);
        var result = await filter.InvokeAsync(new DefaultEndpointFilterInvocationContext(context), _ => throw exception);
        await Assert.IsAssignableFrom<IResult>(result).ExecuteAsync(context);
    }

    private static DefaultHttpContext NewContext() => new()
    {
        RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider(),
        Response = { Body = new MemoryStream() },
        Request = { Path = "/v1/topics/orders" },
    };

    private static async Task<JsonElement> ReadAsync(HttpContext context)
    {
        context.Response.Body.Position = 0;
        using var document = await JsonDocument.ParseAsync(context.Response.Body);
        return document.RootElement.Clone();
    }
}
