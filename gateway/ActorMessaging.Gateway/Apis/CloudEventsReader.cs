using System.Net.Mime;
using System.Text;
using System.Text.Json;
using ActorMessaging.Contracts;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using Microsoft.AspNetCore.Http;

namespace ActorMessaging.Gateway.Apis;

/// <summary>
/// Reads CloudEvents published over HTTP (structured <c>application/cloudevents+json</c>, batch
/// <c>application/cloudevents-batch+json</c>, or binary mode with <c>ce-*</c> headers) as messages.
/// </summary>
/// <remarks>
/// Mapping, one message per event: <c>id</c> becomes the message id (so a re-sent event is a duplicate);
/// the data becomes the payload (JSON data as its JSON text, <c>data_base64</c> and binary bodies as raw
/// bytes, text as UTF-8) with <c>datacontenttype</c> (or the binary body's Content-Type) as content type;
/// the <c>partitionkey</c> extension becomes the ordering key; <c>specversion</c> and every other attribute,
/// extensions included, become the attribute <c>ce-{name}</c> in canonical string form (<c>ce-type</c>,
/// <c>ce-source</c>, <c>ce-subject</c>, <c>ce-time</c>, ...), the same names as the binary-mode headers,
/// so a consumer can rebuild the event.
/// </remarks>
internal static class CloudEventsReader
{
    public const string StructuredContentType = "application/cloudevents+json";
    public const string BatchContentType = "application/cloudevents-batch+json";
    public const string AttributePrefix = "ce-";
    private const string PartitionKey = "partitionkey";
    private const string SpecVersionHeader = "ce-specversion";

    private static readonly JsonEventFormatter Formatter = new();

    /// <summary>True when the request carries CloudEvents rather than a <see cref="PublishRequest"/>.</summary>
    public static bool Handles(HttpRequest request) =>
        MediaType(request).StartsWith("application/cloudevents", StringComparison.OrdinalIgnoreCase)
        || request.Headers.ContainsKey(SpecVersionHeader);

    public static async Task<IReadOnlyList<OutgoingMessage>> ReadAsync(HttpRequest request, string topic)
    {
        var body = await RequestBody.ReadBytesAsync(request, BodyLimits.Publish);
        var media = MediaType(request);
        try
        {
            IReadOnlyList<CloudEvent> events = media.ToLowerInvariant() switch
            {
                StructuredContentType => [Formatter.DecodeStructuredModeMessage(body, ContentTypeOf(request), null)],
                BatchContentType => Formatter.DecodeBatchModeMessage(body, ContentTypeOf(request), null),
                _ when media.StartsWith("application/cloudevents", StringComparison.OrdinalIgnoreCase) =>
                    throw Invalid(topic, $"event format '{media}' is not supported; use {StructuredContentType}, {BatchContentType} or binary mode"),
                _ => [FromBinary(request, body)],
            };
            return [.. events.Select(ToOutgoing)];
        }
        catch (Exception exception) when (exception is ArgumentException or JsonException or FormatException or InvalidOperationException)
        {
            // The SDK's argument exceptions name its own parameter; the reader cares only about the reason.
            var reason = exception is ArgumentException { ParamName: { } parameter }
                ? exception.Message.Replace($" (Parameter '{parameter}')", string.Empty, StringComparison.Ordinal)
                : exception.Message;
            throw Invalid(topic, reason, exception);
        }
    }

    // HTTP binding, binary mode: attributes in ce-* headers (percent-encoded), the body is the data as is.
    private static CloudEvent FromBinary(HttpRequest request, ReadOnlyMemory<byte> body)
    {
        var version = request.Headers[SpecVersionHeader].ToString();
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.FromVersionId(version)
            ?? throw new ArgumentException($"CloudEvents spec version '{version}' is not supported."));
        foreach (var (name, values) in request.Headers)
        {
            if (name.StartsWith(AttributePrefix, StringComparison.OrdinalIgnoreCase) && !name.Equals(SpecVersionHeader, StringComparison.OrdinalIgnoreCase))
            {
                cloudEvent.SetAttributeFromString(name[AttributePrefix.Length..].ToLowerInvariant(), Uri.UnescapeDataString(values.ToString()));
            }
        }

        cloudEvent.DataContentType = request.ContentType;
        cloudEvent.Data = body.ToArray();
        cloudEvent.Validate();
        return cloudEvent;
    }

    private static OutgoingMessage ToOutgoing(CloudEvent cloudEvent)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [AttributePrefix + "specversion"] = cloudEvent.SpecVersion.VersionId,
        };
        string? orderingKey = null;
        foreach (var (attribute, value) in cloudEvent.GetPopulatedAttributes())
        {
            var text = attribute.Format(value);
            switch (attribute.Name)
            {
                case "id" or "datacontenttype":
                    break;
                case PartitionKey:
                    orderingKey = text;
                    break;
                default:
                    attributes[AttributePrefix + attribute.Name] = text;
                    break;
            }
        }

        var (data, contentType) = cloudEvent.Data switch
        {
            null => (Array.Empty<byte>(), cloudEvent.DataContentType),
            byte[] bytes => (bytes, cloudEvent.DataContentType),
            JsonElement json => (JsonSerializer.SerializeToUtf8Bytes(json), cloudEvent.DataContentType ?? PayloadEncoding.JsonContentType),
            string text => (Encoding.UTF8.GetBytes(text), cloudEvent.DataContentType),
            var other => throw new ArgumentException($"CloudEvent data of type {other.GetType().Name} is not supported."),
        };
        return new OutgoingMessage(cloudEvent.Id, data, contentType, attributes, orderingKey);
    }

    private static string MediaType(HttpRequest request) =>
        request.ContentType is { Length: > 0 } contentType ? contentType.Split(';', 2)[0].Trim() : string.Empty;

    private static ContentType ContentTypeOf(HttpRequest request) => new(request.ContentType!);

    private static BrokerException Invalid(string topic, string reason, Exception? inner = null) =>
        new(ErrorCode.InvalidMessage, $"The CloudEvents for topic '{topic}' could not be read: {reason}", inner);
}
