using ActorMessaging.Gateway.Errors;
using ActorMessaging.Gateway.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorMessaging.Gateway.Apis;

/// <summary>The HTTP API under <c>/v1</c>, and its OpenAPI document at <c>/openapi/v1.json</c>.</summary>
internal static class HttpApiExtensions
{
    public const string OpenApiPath = "/openapi/{documentName}.json";

    public static IHostApplicationBuilder AddGatewayHttpApi(this IHostApplicationBuilder builder)
    {
        // Only the API: the host's other endpoints (health, dashboard, hub) are not part of the document.
        builder.Services.AddOpenApi(options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("v1/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "ActorMessaging HTTP API";
                document.Info.Description = "Topics, subscriptions, publish (JSON or CloudEvents), pull, ack, nack, extend and dead letters. "
                    + "Every error is application/problem+json with a numeric 'code' and its name in 'error'.";
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static WebApplication MapGatewayHttpApi(this WebApplication app)
    {
        var v1 = app.MapGroup("/v1")
            .AddEndpointFilter<ApiErrorFilter>()
            .RequireGatewayAccess()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        v1.MapTopicsApi();
        v1.MapMessagesApi();
        v1.MapSubscriptionsApi();
        v1.MapDeliveryApi();
        v1.MapSeekApi();
        v1.MapDeadLettersApi();
        app.MapOpenApi(OpenApiPath);
        return app;
    }
}
