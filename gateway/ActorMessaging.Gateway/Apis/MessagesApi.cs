using ActorMessaging.Contracts;
using ActorMessaging.Gateway.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ActorMessaging.Gateway.Apis;

/// <summary><c>POST /v1/topics/{topic}/messages</c>: publish a JSON batch, or CloudEvents (see <see cref="CloudEventsReader"/>).</summary>
internal static class MessagesApi
{
    public static IEndpointRouteBuilder MapMessagesApi(this IEndpointRouteBuilder v1)
    {
        v1.MapPost("/topics/{topic}/messages", PublishAsync)
            .WithTags("Messages")
            .WithJsonBody<PublishRequest>(required: true, CloudEventsReader.StructuredContentType, CloudEventsReader.BatchContentType, "*/*")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithSummary("Publishes a batch; answers once it is durable. Also accepts CloudEvents in structured, batch and binary (ce-* headers) mode.");
        return v1;
    }

    private static async Task<Ok<PublishResponse>> PublishAsync(string topic, HttpRequest request, IGrainFactory grains)
    {
        RouteValues.Topic(topic);
        var batch = CloudEventsReader.Handles(request)
            ? await CloudEventsReader.ReadAsync(request, topic)
            : ToBatch(await RequestBody.ReadRequiredJsonAsync<PublishRequest>(request, BodyLimits.Publish), topic);
        using var publish = PublishSpan.Start(topic);
        var result = await grains.GetGrain<ITopicGrain>(topic).PublishAsync(batch);
        return TypedResults.Ok(WireMapping.ToWire(result));
    }

    private static List<OutgoingMessage> ToBatch(PublishRequest request, string topic) =>
        [.. (request.Messages ?? []).Select((message, index) => WireMapping.ToOutgoing(message, index, topic))];
}
