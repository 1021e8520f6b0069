using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace ActorMessaging.Gateway.Security;

/// <summary>Declares in the OpenAPI document the credentials the configured mode accepts (API key header, bearer JWT), required by every operation.</summary>
internal static class OpenApiSecurityTransformer
{
    public static Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var auth = context.ApplicationServices.GetRequiredService<IOptions<GatewayAuthOptions>>().Value;
        if (auth.IsOpen)
        {
            return Task.CompletedTask;
        }

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Security ??= [];
        if (auth.AcceptsKeys)
        {
            document.Components.SecuritySchemes[GatewayAuthSchemes.ApiKey] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = GatewayAuthSchemes.ApiKeyHeader,
                Description = "An API key configured under ActorMessaging:Auth:ApiKeys.",
            };
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(GatewayAuthSchemes.ApiKey, document)] = [] });
        }

        if (auth.AcceptsJwt)
        {
            document.Components.SecuritySchemes[GatewayAuthSchemes.Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT with a 'permissions' claim (array or space-separated) or permissions in 'scope'.",
            };
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(GatewayAuthSchemes.Bearer, document)] = [] });
        }

        return Task.CompletedTask;
    }
}
