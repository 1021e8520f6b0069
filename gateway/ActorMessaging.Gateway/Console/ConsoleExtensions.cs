using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Net.Http.Headers;

namespace ActorMessaging.Gateway.Console;

/// <summary>
/// The web console at <c>/</c>: static pages (HTML, CSS, JavaScript modules, the stock SignalR browser client)
/// that use only the public HTTP API under <c>/v1</c> and the hub at <c>/hubs/messaging</c>, like any other client.
/// </summary>
internal static class ConsoleExtensions
{
    /// <summary>Where the console's assets are served; the page itself is served at <c>/</c>.</summary>
    public const string AssetsPath = "/console";

    /// <summary>The page, served at <c>/</c> only: its links to <c>console/…</c> are relative to it.</summary>
    public const string IndexFile = "index.html";

    /// <summary>
    /// Scripts, styles and connections from this origin only; nothing inline, so text from messages can never
    /// run as script. 'self' in connect-src covers the hub's WebSocket on the same host and port.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    public static IHostApplicationBuilder AddGatewayConsole(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ConsoleFiles>();
        return builder;
    }

    public static WebApplication MapGatewayConsole(this WebApplication app)
    {
        var files = app.Services.GetRequiredService<ConsoleFiles>();
        if (!files.TryGet(IndexFile, out var index))
        {
            throw new InvalidOperationException($"The console's {IndexFile} is not embedded in the gateway assembly.");
        }

        // The files are public: they hold no data, and every call they make goes through the API's own authentication.
        app.MapMethods("/", GetAndHead, (HttpContext context) => Serve(context, index))
            .AllowAnonymous()
            .ExcludeFromDescription();
        app.MapMethods(AssetsPath + "/{**path}", GetAndHead, (string? path, HttpContext context) => ServeAsset(context, files, path))
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    private static Results<FileContentHttpResult, NotFound> ServeAsset(HttpContext context, ConsoleFiles files, string? path) =>
        path is not null && path != IndexFile && files.TryGet(path, out var file) ? Serve(context, file) : TypedResults.NotFound();

    private static FileContentHttpResult Serve(HttpContext context, ConsoleFile file)
    {
        var headers = context.Response.Headers;
        // Revalidate on every use: a gateway upgrade must never leave a browser mixing old and new modules.
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Bytes(file.Contents, file.ContentType, entityTag: file.ETag);
    }
}
