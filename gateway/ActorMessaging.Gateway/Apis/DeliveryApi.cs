using ActorMessaging.Gateway.Wire;
using System.Diagnostics;
using ActorMessaging.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ActorMessaging.Gateway.Apis;

/// <summary><c>.../subscriptions/{subscription}/pull|ack|nack|deadletter|extend</c>: lease messages and settle the leases.</summary>
internal static class DeliveryApi
{
    private const int DefaultMaxMessages = 10;
    private const double MaxWaitSeconds = 30;

    // One grain call waits at most this long, well inside Orleans' default 30 s response timeout; longer waits take several calls.
    private static readonly TimeSpan WaitPerCall = TimeSpan.FromSeconds(20);

    public static IEndpointRouteBuilder MapDeliveryApi(this IEndpointRouteBuilder v1)
    {
        var delivery = v1.MapGroup("/topics/{topic}/subscriptions/{subscription}").WithTags("Delivery");
        delivery.MapPost("/pull", PullAsync)
            .WithJsonBody<PullRequest>(required: false)
            .WithSummary("Leases up to maxMessages messages, waiting up to waitSeconds for the first one.");
        delivery.MapPost("/ack", AckAsync)
            .WithJsonBody<AckRequest>(required: true)
            .WithSummary("Acknowledges deliveries; the answer lists the ack ids that did not apply and why.");
        delivery.MapPost("/nack", NackAsync)
            .WithJsonBody<NackRequest>(required: true)
            .WithSummary("Gives deliveries back for redelivery after delaySeconds or the retry backoff.");
        delivery.MapPost("/deadletter", DeadLetterAsync)
            .WithJsonBody<AckRequest>(required: true)
            .WithSummary("Moves deliveries to the dead-letter store (or topic) at once, with reason 'rejected'.");
        delivery.MapPost("/extend", ExtendAsync)
            .WithJsonBody<ExtendRequest>(required: true)
            .WithSummary("Extends leases to now plus seconds.");
        return v1;
    }

    private static async Task<Ok<PullResponse>> PullAsync(string topic, string subscription, HttpRequest request, IGrainFactory grains)
    {
        RouteValues.Subscription(topic, subscription);
        var pull = await RequestBody.ReadJsonAsync<PullRequest>(request) ?? new PullRequest();
        var waitSeconds = pull.WaitSeconds ?? 0;
        if (!(waitSeconds is >= 0 and <= MaxWaitSeconds))
        {
            throw new BrokerException(ErrorCode.InvalidArgument, $"waitSeconds must be between 0 and {MaxWaitSeconds}, was {waitSeconds}.");
        }

        var grain = SubscriptionsApi.Grain(grains, topic, subscription);
        var maxMessages = pull.MaxMessages ?? DefaultMaxMessages;
        var wait = TimeSpan.FromSeconds(waitSeconds);
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var remaining = wait - elapsed.Elapsed;
            var slice = remaining < WaitPerCall ? remaining : WaitPerCall;
            var deliveries = await grain.PullAsync(maxMessages, slice < TimeSpan.Zero ? TimeSpan.Zero : slice);
            if (deliveries.Count > 0 || slice == remaining || slice <= TimeSpan.Zero || request.HttpContext.RequestAborted.IsCancellationRequested)
            {
                return TypedResults.Ok(new PullResponse { Messages = [.. deliveries.Select(WireMapping.ToWire)] });
            }
        }
    }

    private static async Task<Ok<SettleResponse>> AckAsync(string topic, string subscription, HttpRequest request, IGrainFactory grains)
    {
        RouteValues.Subscription(topic, subscription);
        var ack = await RequestBody.ReadRequiredJsonAsync<AckRequest>(request);
        var result = await SubscriptionsApi.Grain(grains, topic, subscription).AckAsync(ack.AckIds ?? []);
        return TypedResults.Ok(WireMapping.ToWire(result));
    }

    private static async Task<Ok<SettleResponse>> NackAsync(string topic, string subscription, HttpRequest request, IGrainFactory grains)
    {
        RouteValues.Subscription(topic, subscription);
        var nack = await RequestBody.ReadRequiredJsonAsync<NackRequest>(request);
        var delay = nack.DelaySeconds is { } seconds ? WireMapping.ToDuration(seconds, "delaySeconds") : (TimeSpan?)null;
        var result = await SubscriptionsApi.Grain(grains, topic, subscription).NackAsync(nack.AckIds ?? [], delay);
        return TypedResults.Ok(WireMapping.ToWire(result));
    }

    private static async Task<Ok<SettleResponse>> DeadLetterAsync(string topic, string subscription, HttpRequest request, IGrainFactory grains)
    {
        RouteValues.Subscription(topic, subscription);
        var reject = await RequestBody.ReadRequiredJsonAsync<AckRequest>(request);
        var result = await SubscriptionsApi.Grain(grains, topic, subscription).RejectAsync(reject.AckIds ?? []);
        return TypedResults.Ok(WireMapping.ToWire(result));
    }

    private static async Task<Ok<SettleResponse>> ExtendAsync(string topic, string subscription, HttpRequest request, IGrainFactory grains)
    {
        RouteValues.Subscription(topic, subscription);
        var extend = await RequestBody.ReadRequiredJsonAsync<ExtendRequest>(request);
        var seconds = extend.Seconds ?? throw new BrokerException(ErrorCode.InvalidArgument, "'seconds' is required: the lease extension in seconds.");
        var result = await SubscriptionsApi.Grain(grains, topic, subscription).ExtendAsync(extend.AckIds ?? [], WireMapping.ToDuration(seconds, "seconds"));
        return TypedResults.Ok(WireMapping.ToWire(result));
    }
}
