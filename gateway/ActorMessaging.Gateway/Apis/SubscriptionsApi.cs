using ActorMessaging.Contracts;
using ActorMessaging.Gateway.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ActorMessaging.Gateway.Apis;

/// <summary><c>/v1/topics/{topic}/subscriptions</c>: create or update, get (with counters), list, delete.</summary>
internal static class SubscriptionsApi
{
    public static IEndpointRouteBuilder MapSubscriptionsApi(this IEndpointRouteBuilder v1)
    {
        var subscriptions = v1.MapGroup("/topics/{topic}/subscriptions").WithTags("Subscriptions");
        subscriptions.MapPut("/{subscription}", PutAsync)
            .WithJsonBody<SubscriptionConfiguration>(required: false)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Creates a subscription (201) or replaces its settings (200); startAt applies only at creation.");
        subscriptions.MapGet(string.Empty, ListAsync)
            .WithSummary("Lists every subscription of a topic with settings and counters.");
        subscriptions.MapGet("/{subscription}", GetAsync)
            .WithSummary("Gets a subscription with its settings and counters.");
        subscriptions.MapDelete("/{subscription}", DeleteAsync)
            .WithSummary("Deletes a subscription with its leases and dead letters.");
        return v1;
    }

    private static async Task<Results<Created<SubscriptionDescription>, Ok<SubscriptionDescription>>> PutAsync(
        string topic, string subscription, HttpRequest request, IGrainFactory grains)
    {
        RouteValues.Subscription(topic, subscription);
        var upsert = SubscriptionUpsert.Of(topic, subscription, await RequestBody.ReadJsonAsync<SubscriptionConfiguration>(request));
        var (description, created) = await upsert.ApplyAsync(grains);
        return created ? TypedResults.Created($"/v1/topics/{topic}/subscriptions/{subscription}", description) : TypedResults.Ok(description);
    }

    private static async Task<Ok<SubscriptionList>> ListAsync(string topic, IGrainFactory grains)
    {
        RouteValues.Topic(topic);
        var names = await grains.GetGrain<ITopicGrain>(topic).ListSubscriptionsAsync();
        var found = await Task.WhenAll(names.Select(name => TryDescribeAsync(Grain(grains, topic, name))));
        return TypedResults.Ok(new SubscriptionList { Subscriptions = [.. found.OfType<SubscriptionDescription>()] });
    }

    private static async Task<Ok<SubscriptionDescription>> GetAsync(string topic, string subscription, IGrainFactory grains)
    {
        RouteValues.Subscription(topic, subscription);
        return TypedResults.Ok(await DescribeAsync(Grain(grains, topic, subscription)));
    }

    private static async Task<NoContent> DeleteAsync(string topic, string subscription, IGrainFactory grains)
    {
        RouteValues.Subscription(topic, subscription);
        await Grain(grains, topic, subscription).DeleteAsync();
        return TypedResults.NoContent();
    }

    internal static ISubscriptionGrain Grain(IGrainFactory grains, string topic, string subscription) =>
        grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(topic, subscription));

    // GetAsync reports counters as the subscription last knew its topic; GetStatsAsync asks the topic for its head first.
    private static async Task<SubscriptionDescription> DescribeAsync(ISubscriptionGrain grain)
    {
        var info = await grain.GetAsync();
        var stats = await grain.GetStatsAsync();
        return WireMapping.ToWire(info with { Stats = stats });
    }

    // A subscription deleted between listing and reading is simply no longer there.
    private static async Task<SubscriptionDescription?> TryDescribeAsync(ISubscriptionGrain grain)
    {
        try
        {
            return await DescribeAsync(grain);
        }
        catch (BrokerException exception) when (exception.Code == ErrorCode.SubscriptionNotFound)
        {
            return null;
        }
    }
}
