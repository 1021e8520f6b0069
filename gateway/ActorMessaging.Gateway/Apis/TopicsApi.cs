using ActorMessaging.Contracts;
using ActorMessaging.Gateway.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using ActorMessaging.Gateway.Security;
using Microsoft.Extensions.Options;

namespace ActorMessaging.Gateway.Apis;

/// <summary><c>/v1/topics</c>: create or update, list, get, delete.</summary>
internal static class TopicsApi
{
    private const int DefaultPageSize = 100;

    public static IEndpointRouteBuilder MapTopicsApi(this IEndpointRouteBuilder v1)
    {
        var topics = v1.MapGroup("/topics").WithTags("Topics");
        topics.MapPut("/{topic}", PutAsync)
            .WithJsonBody<TopicConfiguration>(required: false)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Creates a topic (201) or replaces its settings (200); fields left out take their defaults. "
                + "Optional subscriptions (by name) are created or replaced in the same call.");
        topics.MapGet(string.Empty, ListAsync)
            .WithSummary("Lists topic names in ordinal order, one page at a time.");
        topics.MapGet("/{topic}", GetAsync)
            .WithSummary("Gets a topic with its settings, last sequence and subscription count.");
        topics.MapDelete("/{topic}", DeleteAsync)
            .WithSummary("Deletes a topic, its subscriptions and its messages.");
        return v1;
    }

    private static async Task<Results<Created<TopicDescription>, Ok<TopicDescription>>> PutAsync(string topic, HttpRequest request, IGrainFactory grains)
    {
        RouteValues.Topic(topic);
        var requested = await RequestBody.ReadJsonAsync<TopicConfiguration>(request);
        var settings = WireMapping.ToSettings(requested, topic);
        var subscriptions = SubscriptionsOf(topic, requested);
        var grain = grains.GetGrain<ITopicGrain>(topic);
        var (body, created) = await CreateOrReplaceAsync(grain, settings);
        if (subscriptions.Count > 0)
        {
            await Task.WhenAll(subscriptions.Select(subscription => subscription.ApplyAsync(grains)));
            body = WireMapping.ToWire(await grain.GetAsync());
        }

        return created ? TypedResults.Created($"/v1/topics/{topic}", body) : TypedResults.Ok(body);
    }

    private static async Task<(TopicDescription Body, bool Created)> CreateOrReplaceAsync(ITopicGrain grain, TopicSettings settings)
    {
        try
        {
            var result = await grain.CreateAsync(settings);
            return (WireMapping.ToWire(result.Topic), result.Created);
        }
        catch (BrokerException exception) when (exception.Code == ErrorCode.ConflictingSettings)
        {
            // It exists with other settings: PUT replaces them.
            return (WireMapping.ToWire(await grain.UpdateAsync(settings)), false);
        }
    }

    // Every subscription is checked before the topic or any subscription is touched: a bad one changes nothing.
    private static List<SubscriptionUpsert> SubscriptionsOf(string topic, TopicConfiguration? requested)
    {
        var subscriptions = requested?.Subscriptions;
        if (subscriptions is null)
        {
            return [];
        }

        if (subscriptions.Count > TopicConfiguration.MaxSubscriptionsPerRequest)
        {
            throw new BrokerException(ErrorCode.InvalidArgument,
                $"subscriptions may name at most {TopicConfiguration.MaxSubscriptionsPerRequest} subscriptions, was {subscriptions.Count}.");
        }

        return [.. subscriptions.Select(pair => SubscriptionUpsert.Of(topic, pair.Key, pair.Value))];
    }

    private static async Task<Ok<TopicList>> ListAsync(string? prefix, string? pageSize, string? pageToken, HttpContext http, IOptions<GatewayAuthOptions> auth, IGrainFactory grains)
    {
        var size = RouteValues.Int(pageSize, nameof(pageSize), DefaultPageSize);

        // Only names the caller may see are read, so neither the page nor its token can name another team's topic.
        var permissions = auth.Value.IsOpen ? CallerPermissions.Everything : CallerPermissions.Of(http.User);
        var page = await grains.ListTopicsAsync(permissions.ListingPrefixes(prefix), permissions.MaySee, size, pageToken);
        return TypedResults.Ok(new TopicList { Topics = page.Names, NextPageToken = page.NextPageToken });
    }

    private static async Task<Ok<TopicDescription>> GetAsync(string topic, IGrainFactory grains)
    {
        RouteValues.Topic(topic);
        return TypedResults.Ok(WireMapping.ToWire(await grains.GetGrain<ITopicGrain>(topic).GetAsync()));
    }

    private static async Task<NoContent> DeleteAsync(string topic, IGrainFactory grains)
    {
        RouteValues.Topic(topic);
        await grains.GetGrain<ITopicGrain>(topic).DeleteAsync();
        return TypedResults.NoContent();
    }
}
