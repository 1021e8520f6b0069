using ActorMessaging.Gateway.Wire;
using System.Text.Json;
using ActorMessaging.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ActorMessaging.Gateway.Apis;

/// <summary>
/// Reads request bodies with a size cap and <see cref="WireJson.Requests"/>. Endpoints read their own
/// bodies (rather than binding them) so every failure becomes a catalog error with a clear detail.
/// </summary>
internal static class RequestBody
{
    /// <summary>The body as <typeparamref name="T"/>, or null when the body is empty.</summary>
    public static async Task<T?> ReadJsonAsync<T>(HttpRequest request, long limit = BodyLimits.Default)
        where T : class
    {
        var body = await ReadBytesAsync(request, limit);
        if (body.IsEmpty)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(request.ContentType) && !PayloadEncoding.IsJson(request.ContentType))
        {
            throw new BrokerException(ErrorCode.InvalidArgument, $"Content type '{request.ContentType}' is not accepted here; send application/json.");
        }

        var value = JsonSerializer.Deserialize<T>(body.Span, WireJson.Requests);
        return value ?? throw new BrokerException(ErrorCode.InvalidArgument, "The request body must be a JSON object, not null.");
    }

    /// <summary>The body as <typeparamref name="T"/>; an empty body is an error.</summary>
    public static async Task<T> ReadRequiredJsonAsync<T>(HttpRequest request, long limit = BodyLimits.Default)
        where T : class =>
        await ReadJsonAsync<T>(request, limit)
            ?? throw new BrokerException(ErrorCode.InvalidArgument, "The request body is required.");

    /// <summary>The raw body, at most <paramref name="limit"/> bytes (<see cref="ErrorCode.BatchTooLarge"/> past that).</summary>
    public static async Task<ReadOnlyMemory<byte>> ReadBytesAsync(HttpRequest request, long limit)
    {
        if (request.ContentLength > limit)
        {
            throw TooLarge(request.ContentLength.Value, limit);
        }

        // Kestrel then refuses to read past the cap even without a Content-Length (chunked bodies).
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        using var buffer = new MemoryStream((int)Math.Min(request.ContentLength ?? 4096, limit));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(buffer.Length + read, limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static BrokerException TooLarge(long size, long limit) =>
        new(ErrorCode.BatchTooLarge, $"The request body has {size} bytes or more; this endpoint accepts at most {limit}.");
}
