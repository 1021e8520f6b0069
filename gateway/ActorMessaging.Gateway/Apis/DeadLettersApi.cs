using ActorMessaging.Gateway.Wire;
using System.Globalization;
using ActorMessaging.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ActorMessaging.Gateway.Apis;

/// <summary><c>.../subscriptions/{subscription}/deadletters</c>: list, resubmit, purge.</summary>
internal static class DeadLettersApi
{
    private const int DefaultPageSize = 100;

    public static IEndpointRouteBuilder MapDeadLettersApi(this IEndpointRouteBuilder v1)
    {
        var deadLetters = v1.MapGroup("/topics/{topic}/subscriptions/{subscription}/deadletters").WithTags("Dead letters");
        deadLetters.MapGet(string.Empty, ListAsync)
            .WithSummary("Lists dead letters in sequence order, one page at a time.");
        deadLetters.MapPost("/resubmit", ResubmitAsync)
            .WithJsonBody<ResubmitDeadLettersRequest>(required: false)
            .WithSummary("Delivers dead letters again with fresh attempts: the given sequences, or all.");
        deadLetters.MapDelete(string.Empty, PurgeAsync)
            .WithSummary("Deletes every dead letter of the subscription.");
        return v1;
    }

    private static async Task<Ok<DeadLetterList>> ListAsync(string topic, string subscription, string? pageSize, string? pageToken, IGrainFactory grains)
    {
        RouteValues.Subscription(topic, subscription);
        var size = RouteValues.Int(pageSize, nameof(pageSize), DefaultPageSize);
        long? after = null;
        if (!string.IsNullOrEmpty(pageToken))
        {
            after = long.TryParse(pageToken, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
                ? sequence
                : throw new BrokerException(ErrorCode.InvalidArgument, "pageToken is not a token returned by a previous page.");
        }

        var page = await SubscriptionsApi.Grain(grains, topic, subscription).ListDeadLettersAsync(size, after);
        return TypedResults.Ok(new DeadLetterList
        {
            DeadLetters = [.. page.Items.Select(WireMapping.ToWire)],
            NextPageToken = page.NextAfterSequence?.ToString(CultureInfo.InvariantCulture),
        });
    }

    private static async Task<Ok<ResubmitDeadLettersResponse>> ResubmitAsync(string topic, string subscription, HttpRequest request, IGrainFactory grains)
    {
        RouteValues.Subscription(topic, subscription);
        var resubmit = await RequestBody.ReadJsonAsync<ResubmitDeadLettersRequest>(request);
        var count = await SubscriptionsApi.Grain(grains, topic, subscription).ResubmitDeadLettersAsync(resubmit?.Sequences);
        return TypedResults.Ok(new ResubmitDeadLettersResponse { Resubmitted = count });
    }

    private static async Task<Ok<PurgeDeadLettersResponse>> PurgeAsync(string topic, string subscription, IGrainFactory grains)
    {
        RouteValues.Subscription(topic, subscription);
        var count = await SubscriptionsApi.Grain(grains, topic, subscription).PurgeDeadLettersAsync();
        return TypedResults.Ok(new PurgeDeadLettersResponse { Purged = count });
    }
}
