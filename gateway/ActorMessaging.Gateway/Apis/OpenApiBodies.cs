using Microsoft.AspNetCore.Builder;
using Microsoft.OpenApi;

namespace ActorMessaging.Gateway.Apis;

/// <summary>
/// Describes a request body in the OpenAPI document only. <c>Accepts&lt;T&gt;</c> would also make routing
/// answer 415 with an empty body for another content type; endpoints read their own bodies and answer
/// every mistake with a problem instead.
/// </summary>
internal static class OpenApiBodies
{
    public const string Json = "application/json";

    /// <summary>A body of <typeparamref name="T"/> as <c>application/json</c>, and <paramref name="otherContentTypes"/> without a schema.</summary>
    public static RouteHandlerBuilder WithJsonBody<T>(this RouteHandlerBuilder builder, bool required, params string[] otherContentTypes) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
            {
                [Json] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken) },
            };
            foreach (var contentType in otherContentTypes)
            {
                content[contentType] = new OpenApiMediaType();
            }

            operation.RequestBody = new OpenApiRequestBody { Required = required, Content = content };
        });
}
