using ActorMessaging.Contracts;
using ActorMessaging.Gateway.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ActorMessaging.Gateway.Apis;

/// <summary><c>POST .../subscriptions/{subscription}/seek</c>: replay from a sequence or a time.</summary>
internal static class SeekApi
{
    public static IEndpointRouteBuilder MapSeekApi(this IEndpointRouteBuilder v1)
    {
        v1.MapPost("/topics/{topic}/subscriptions/{subscription}/seek", SeekAsync)
            .WithTags("Subscriptions")
            .WithJsonBody<SeekRequest>(required: true)
            .WithSummary("Moves the subscription to a sequence or publish time: earlier messages count as acked, later ones are delivered again.");
        return v1;
    }

    private static async Task<Ok<SubscriptionDescription>> SeekAsync(string topic, string subscription, HttpRequest request, IGrainFactory grains)
    {
        RouteValues.Subscription(topic, subscription);
        var target = WireMapping.ToSeekTarget(await RequestBody.ReadJsonAsync<SeekRequest>(request));
        var info = await SubscriptionsApi.Grain(grains, topic, subscription).SeekAsync(target);
        return TypedResults.Ok(WireMapping.ToWire(info));
    }
}
